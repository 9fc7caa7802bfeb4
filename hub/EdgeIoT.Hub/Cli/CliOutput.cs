using System.Globalization;
using System.Text.Json;

namespace EdgeIoT.Hub.Cli;

/// <summary>Text and JSON output of the runbook commands.</summary>
public static class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Passwords and base64 keys stay readable ('+' and '/' unescaped); the output is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Json<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Prints rows as columns padded to the widest cell, with a header row.</summary>
    public static void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);

        List<IReadOnlyList<string>> all = [header, .. rows];
        int[] widths = header.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (IReadOnlyList<string> row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    /// <summary>Formats a Unix-millisecond time as UTC, or "never" for 0 and null.</summary>
    public static string Time(long? ms) => ms is null or 0
        ? "never"
        : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats how long ago <paramref name="ms"/> was, seen from <paramref name="nowMs"/>.</summary>
    public static string Age(long? ms, long nowMs)
    {
        if (ms is null or 0)
        {
            return "never";
        }

        var age = TimeSpan.FromMilliseconds(Math.Max(0, nowMs - ms.Value));
        return age.TotalSeconds < 120 ? $"{age.TotalSeconds:0} s ago"
            : age.TotalMinutes < 120 ? $"{age.TotalMinutes:0} min ago"
            : $"{age.TotalHours:0.#} h ago";
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
