using System.Text.RegularExpressions;

namespace EdgeIoT.Hub.Options;

/// <summary>
/// Binds the "Hub" configuration section and checks the data directory, turning each failure into
/// a <see cref="HubSettingsException"/> whose message names the setting and its value.
/// </summary>
public static partial class HubSettingsBinder
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>Binds <paramref name="section"/> to new options; a value of the wrong type names its key and the expected form.</summary>
    public static HubOptions Bind(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);

        var options = new HubOptions();
        try
        {
            // Without this the binder ignores a misspelt key, and the default stays in effect silently.
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new HubSettingsException(Describe(exception, section), exception);
        }

        return options;
    }

    /// <summary>
    /// Creates the data directory when missing and checks that an existing hub.db can be opened
    /// for reading and writing, so a bad path stops the start before the host runs.
    /// </summary>
    public static void RequireUsableDataDirectory(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        string directory = Path.GetFullPath(options.DataDirectory);
        if (File.Exists(directory))
        {
            throw new HubSettingsException($"Hub:DataDirectory '{directory}' is a file: give a directory.");
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HubSettingsException($"Hub:DataDirectory '{directory}' cannot be created: {exception.Message}", exception);
        }

        string database = Path.GetFullPath(options.DatabasePath);
        if (Directory.Exists(database))
        {
            throw new HubSettingsException(
                $"Hub:DataDirectory '{directory}' is unusable: its database path '{database}' is a directory.");
        }

        if (File.Exists(database))
        {
            try
            {
                using FileStream probe = File.Open(database, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                RequireSqliteHeader(probe, database);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new HubSettingsException(
                    $"Hub:DataDirectory '{directory}' is unusable: database '{database}' cannot be opened for reading and writing: {exception.Message}",
                    exception);
            }
        }
    }

    /// <summary>The error for a hub.db that SQLite reports as not a database or damaged (SQLITE_NOTADB, SQLITE_CORRUPT).</summary>
    public static HubSettingsException DamagedDatabase(string databasePath, Exception? innerException = null)
    {
        string database = Path.GetFullPath(databasePath);
        string detail = innerException is null ? string.Empty : $" ({innerException.Message})";
        var message = $"Hub:DataDirectory '{Path.GetDirectoryName(database)}' is unusable: '{database}' is not a hub database "
            + $"or is damaged{detail}. Restore hub.db from a backup, or pass the --data directory of another hub.";
        return innerException is null ? new HubSettingsException(message) : new HubSettingsException(message, innerException);
    }

    // Every SQLite 3 file starts with the 16-byte header string "SQLite format 3\0". An empty
    // file is a new database.
    private static void RequireSqliteHeader(FileStream database, string path)
    {
        if (database.Length == 0)
        {
            return;
        }

        Span<byte> header = stackalloc byte[SqliteHeader.Length];
        int read = database.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw DamagedDatabase(path);
        }
    }

    // The configuration binder reports a conversion failure as "Failed to convert configuration
    // value 'V' at 'K' to type 'T'." (Microsoft.Extensions.Configuration.Binder 10.0).
    private static string Describe(InvalidOperationException exception, IConfigurationSection section)
    {
        Match unknown = UnknownKeys().Match(exception.Message);
        if (unknown.Success)
        {
            return DescribeUnknown(unknown.Groups["names"].Value, section);
        }

        Match match = ConversionFailure().Match(exception.Message);
        if (!match.Success)
        {
            return $"Invalid hub setting: {exception.Message}";
        }

        string value = match.Groups["value"].Value;
        string key = match.Groups["key"].Value;
        return $"{key} '{value}' is invalid: use {ExpectedForm(match.Groups["type"].Value)}.";
    }

    private static string ExpectedForm(string typeName)
    {
        Type? enumType = typeof(HubSettingsBinder).Assembly.GetType(typeName);
        if (enumType is { IsEnum: true })
        {
            return "one of " + string.Join(", ", Enum.GetNames(enumType));
        }

        return typeName switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.UInt32" or "System.UInt64" => "a whole number of 0 or more",
            "System.Double" => "a number such as 0.5",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:05",
            "System.DateTimeOffset" => "a date and time such as 2026-12-05T02:00:00Z",
            _ => "a value of type " + typeName,
        };
    }

    // The binder lists the unknown keys by name only, such as "... not found on the instance of
    // EdgeIoT.Hub.Options.MqttOptions: 'Prot'", so the full paths are looked up in the section.
    private static string DescribeUnknown(string names, IConfigurationSection section)
    {
        HashSet<string> unknownNames = names.Split(',')
            .Select(name => name.Trim().Trim('\''))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] paths = section.AsEnumerable()
            .Select(pair => pair.Key)
            .Where(path => path.Split(':').Any(unknownNames.Contains))
            .Select(path => Prefix(path, unknownNames))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToArray();
        string listed = paths.Length > 0 ? string.Join(", ", paths) : string.Join(", ", unknownNames);
        return $"{listed} is not a hub setting: check the spelling against docs/hub.md, Configuration.";
    }

    // Returns a path such as Hub:Mqtt:Prot:Sub up to and including its first unknown segment.
    private static string Prefix(string path, HashSet<string> unknownNames)
    {
        string[] segments = path.Split(':');
        int last = Array.FindIndex(segments, unknownNames.Contains);
        return string.Join(':', segments.Take(last + 1));
    }

    [GeneratedRegex("following properties were not found on the instance of [^:]+: (?<names>.+)$")]
    private static partial Regex UnknownKeys();

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConversionFailure();
}
