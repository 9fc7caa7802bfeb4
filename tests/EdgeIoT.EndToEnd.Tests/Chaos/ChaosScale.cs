using System.Globalization;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>
/// Size of a chaos run. The default fits CI in a few minutes; EDGEIOT_CHAOS=long runs the long
/// form, and EDGEIOT_CHAOS_ROUNDS and EDGEIOT_CHAOS_SCANS_PER_ROUND override either.
/// </summary>
public sealed record ChaosScale(int Rounds, int AgentScansPerRound, int DisputeGuests)
{
    /// <summary>Every this many agent scans, one scan goes to the ESP32 too.</summary>
    public const int Esp32Every = 8;

    /// <summary>Every this many agent scans, one walk-in buys at the agent's till.</summary>
    public const int PurchaseEvery = 25;

    public int PurchasesPerRound => AgentScansPerRound / PurchaseEvery;

    public int GuestsPerRound => AgentScansPerRound + (AgentScansPerRound / Esp32Every);

    public int Guests => (Rounds * GuestsPerRound) + DisputeGuests;

    public static ChaosScale FromEnvironment()
    {
        bool longForm = string.Equals(Environment.GetEnvironmentVariable("EDGEIOT_CHAOS"), "long", StringComparison.OrdinalIgnoreCase);
        var scale = longForm ? new ChaosScale(10, 2000, 20) : new ChaosScale(3, 600, 5);
        return scale with
        {
            Rounds = ReadInt("EDGEIOT_CHAOS_ROUNDS") ?? scale.Rounds,
            AgentScansPerRound = ReadInt("EDGEIOT_CHAOS_SCANS_PER_ROUND") ?? scale.AgentScansPerRound,
        };
    }

    private static int? ReadInt(string name)
    {
        string? text = Environment.GetEnvironmentVariable(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{name} '{text}' is invalid: use a whole number from 1.");
    }
}
