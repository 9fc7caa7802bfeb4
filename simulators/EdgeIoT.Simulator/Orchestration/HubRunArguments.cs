using System.Globalization;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The command line of a hub process: the hub's run command, as an operator starts it, with
/// the settings that <see cref="InProcessHubHost"/> sets in code given as --Hub:Key=value.
/// </summary>
public static class HubRunArguments
{
    public static IReadOnlyList<string> For(HubSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var arguments = new List<string>
        {
            "run",
            Setting("DataDirectory", Path.GetFullPath(settings.DataDirectory)),
            Setting("Venue", settings.Venue),
            Setting("PolicyFile", Path.GetFullPath(settings.PolicyFile)),
            Setting("EventEnd", settings.EventEnd.ToString("O", CultureInfo.InvariantCulture)),
            Setting("Mqtt:Port", "0"),
            Setting("Http:Urls", "http://127.0.0.1:0"),
            Setting("Ledger:BaseUrl", settings.LedgerUrl.ToString()),
            Setting("Ledger:HubId", settings.Venue),
        };
        if (settings.KeyRotationInterval is { } interval)
        {
            arguments.Add(Setting("Keys:RotationInterval", interval.ToString("c", CultureInfo.InvariantCulture)));
        }

        return arguments;
    }

    private static string Setting(string key, string value) => $"--Hub:{key}={value}";
}
