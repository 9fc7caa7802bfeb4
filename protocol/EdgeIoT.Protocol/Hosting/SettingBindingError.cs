using System.Reflection;
using System.Text.RegularExpressions;

namespace EdgeIoT.Protocol.Hosting;

/// <summary>
/// Turns an error of the configuration binder into one line that names the setting: a misspelt
/// key (bound with ErrorOnUnknownConfiguration) or a value of the wrong type. The hub, the
/// ledger and the edge agent print that line and exit with code 2 instead of a stack trace.
/// </summary>
/// <remarks>
/// The binder reports a conversion failure as "Failed to convert configuration value 'V' at 'K'
/// to type 'T'." and unknown keys by name only, as "... not found on the instance of
/// EdgeIoT.Hub.Options.MqttOptions: 'Prot'" (Microsoft.Extensions.Configuration.Binder 10.0),
/// so the full path of an unknown key is looked up among the keys the section holds.
/// </remarks>
public static partial class SettingBindingError
{
    /// <summary>Describes <paramref name="binderMessage"/>, or returns null when it is not a binder error.</summary>
    /// <param name="binderMessage">Message of the binder's InvalidOperationException.</param>
    /// <param name="sectionKeys">Every key path of the bound section, such as Hub:Mqtt:Port.</param>
    /// <param name="program">Program the settings belong to, such as "hub".</param>
    /// <param name="documentation">Where the settings are listed, such as "docs/hub.md, Configuration".</param>
    /// <param name="optionsAssembly">Assembly of the options types, to list an enum's values.</param>
    public static string? Describe(
        string binderMessage,
        IEnumerable<string> sectionKeys,
        string program,
        string documentation,
        Assembly optionsAssembly)
    {
        ArgumentNullException.ThrowIfNull(binderMessage);
        ArgumentNullException.ThrowIfNull(sectionKeys);
        ArgumentNullException.ThrowIfNull(optionsAssembly);

        Match unknown = UnknownKeys().Match(binderMessage);
        if (unknown.Success)
        {
            string listed = ListUnknown(unknown.Groups["names"].Value, sectionKeys);
            return $"{listed} is not {Article(program)} {program} setting: check the spelling against {documentation}.";
        }

        Match conversion = ConversionFailure().Match(binderMessage);
        if (conversion.Success)
        {
            string expected = ExpectedForm(conversion.Groups["type"].Value, optionsAssembly);
            return $"{conversion.Groups["key"].Value} '{conversion.Groups["value"].Value}' is invalid: use {expected}.";
        }

        return null;
    }

    private static string ExpectedForm(string typeName, Assembly optionsAssembly)
    {
        Type? enumType = optionsAssembly.GetType(typeName);
        if (enumType is { IsEnum: true })
        {
            return "one of " + string.Join(", ", Enum.GetNames(enumType));
        }

        return typeName switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.UInt32" or "System.UInt64" or "System.UInt16" or "System.Byte" => "a whole number of 0 or more",
            "System.Double" => "a number such as 0.5",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:05",
            "System.DateTimeOffset" => "a date and time such as 2026-12-05T02:00:00Z",
            _ => "a value of type " + typeName,
        };
    }

    private static string ListUnknown(string names, IEnumerable<string> sectionKeys)
    {
        HashSet<string> unknownNames = names.Split(',')
            .Select(name => name.Trim().Trim('\''))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] paths = sectionKeys
            .Where(path => path.Split(':').Any(unknownNames.Contains))
            .Select(path => UpToFirstUnknown(path, unknownNames))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return paths.Length > 0 ? string.Join(", ", paths) : string.Join(", ", unknownNames);
    }

    // Returns a path such as Hub:Mqtt:Prot:Sub up to and including its first unknown segment.
    private static string UpToFirstUnknown(string path, HashSet<string> unknownNames)
    {
        string[] segments = path.Split(':');
        int first = Array.FindIndex(segments, unknownNames.Contains);
        return string.Join(':', segments.Take(first + 1));
    }

    private static string Article(string program) =>
        program.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(program[0]), StringComparison.Ordinal) ? "an" : "a";

    [GeneratedRegex("following properties were not found on the instance of [^:]+: (?<names>.+)$")]
    private static partial Regex UnknownKeys();

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConversionFailure();
}
