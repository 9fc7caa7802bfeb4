using System.Globalization;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// How many inputs each fuzz target tries. A plain test run uses the CI size; the long run sets
/// EDGEIOT_FUZZ_SCALE (for example 200) to multiply every target's count.
/// </summary>
internal static class FuzzBudget
{
    public const string ScaleVariable = "EDGEIOT_FUZZ_SCALE";

    public static long Iterations(int ciSize)
    {
        string? raw = Environment.GetEnvironmentVariable(ScaleVariable);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return ciSize;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int scale) || scale < 1)
        {
            throw new InvalidOperationException(
                $"{ScaleVariable} must be a positive whole number, got '{raw}'.");
        }

        return (long)ciSize * scale;
    }
}
