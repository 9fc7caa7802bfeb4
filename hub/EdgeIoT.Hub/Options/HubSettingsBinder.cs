using EdgeIoT.Protocol.Hosting;

namespace EdgeIoT.Hub.Options;

/// <summary>
/// Binds the "Hub" configuration section and checks the data directory, turning each failure into
/// a <see cref="HubSettingsException"/> whose message names the setting and its value.
/// </summary>
public static class HubSettingsBinder
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

    private static string Describe(InvalidOperationException exception, IConfigurationSection section) =>
        SettingBindingError.Describe(
            exception.Message,
            section.AsEnumerable().Select(pair => pair.Key),
            "hub",
            "docs/hub.md, Configuration",
            typeof(HubSettingsBinder).Assembly)
        ?? $"Invalid hub setting: {exception.Message}";
}
