using System.CommandLine;

namespace EdgeIoT.VirtualDevice;

/// <summary>Range checks of the numeric options, with one message naming the option and the value.</summary>
internal static class DeviceArguments
{
    /// <summary>Prints the first out-of-range option and returns true, or returns false when all are valid.</summary>
    public static async Task<bool> FirstInvalidAsync(ParseResult parseResult, TextWriter error)
    {
        string? problem = Check(parseResult, CommandLineOptions.OutboxWindow, 1, 64, "publishes in flight")
            ?? Check(parseResult, CommandLineOptions.PulseMilliseconds, 10, 5000, "milliseconds")
            ?? Check(parseResult, CommandLineOptions.FlashSectors, 8, 1024, "sectors")
            ?? CheckStatusInterval(parseResult);
        if (problem is null)
        {
            return false;
        }

        await error.WriteLineAsync(problem);
        return true;
    }

    private static string? Check(ParseResult parseResult, Option<int> option, int min, int max, string unit)
    {
        int value = parseResult.GetValue(option);
        return value >= min && value <= max ? null : $"{option.Name} {value} is invalid: use {min} to {max} {unit}.";
    }

    private static string? CheckStatusInterval(ParseResult parseResult)
    {
        int value = parseResult.GetValue(CommandLineOptions.StatusInterval);
        return value == 0 || value is >= 20 and <= 60_000
            ? null
            : $"{CommandLineOptions.StatusInterval.Name} {value} is invalid: use 0 (no status lines) or 20 to 60000 milliseconds.";
    }
}
