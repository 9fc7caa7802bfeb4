using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Import;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Commands;

/// <summary>
/// Checks that the guest list has as many pre-registered guests as the run lets arrive, before
/// anything starts. The crowd plan would otherwise cap the number without a word.
/// </summary>
public static class ArrivingGuestsCheck
{
    /// <summary>
    /// Throws <see cref="ScenarioException"/> when <see cref="ScenarioOptions.ArrivingGuests"/>
    /// is larger than the number of guests who can arrive. <paramref name="field"/> names where
    /// the value came from, such as <c>--arriving</c>.
    /// </summary>
    public static void Check(ScenarioOptions options, string field)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(field);

        if (options.ArrivingGuests <= 0 || !File.Exists(options.GuestListFile))
        {
            return;
        }

        int guests;
        try
        {
            guests = CountArrivable(File.ReadAllText(options.GuestListFile));
        }
        catch (FormatException)
        {
            // The hub's import rejects an unusable file with its own message when the run starts.
            return;
        }

        if (options.ArrivingGuests > guests)
        {
            throw new ScenarioException(
                $"{field} {options.ArrivingGuests} is invalid: the guest list {options.GuestListFile} has {guests} " +
                $"pre-registered guests who can arrive; use 0 (all of them) to {guests}.");
        }
    }

    // The crowd plan draws arrivals from the same rows: guest tickets with an order code that
    // were not refunded. Staff and creator passes are never drawn as pre-registered arrivals.
    private static int CountArrivable(string csv) =>
        GuestCsv.Parse(csv).Rows.Count(row => row.Role == GuestRole.Guest && !row.Cancelled && row.OrderCode is not null);
}
