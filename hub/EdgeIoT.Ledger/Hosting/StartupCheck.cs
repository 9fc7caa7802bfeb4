using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.Ledger.Hosting;

/// <summary>
/// Checks before the host starts that the SQLite file's folder can exist and that the fixed listen
/// ports are free. The command line then reports a bad path or a port in use in one line that
/// names the setting, instead of a failed host start.
/// </summary>
public static class StartupCheck
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>Throws a <see cref="LedgerConfigurationException"/> naming the first unusable setting.</summary>
    public static void Run(LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (options.Store == LedgerOptions.SqliteStore)
        {
            RequireUsableSqlitePath(options.Sqlite.Path);
        }

        foreach (string url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            RequireFreePort(url);
        }
    }

    private static void RequireUsableSqlitePath(string path)
    {
        string file = Path.GetFullPath(path);
        if (Directory.Exists(file))
        {
            throw new LedgerConfigurationException($"Ledger:Sqlite:Path '{file}' is a directory: give the path of the SQLite file.");
        }

        for (string? folder = Path.GetDirectoryName(file); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new LedgerConfigurationException(
                    $"Ledger:Sqlite:Path '{file}' is unusable: '{folder}' is a file, not a folder. Give a path in a folder, "
                    + "such as --sqlite-path ./ledger-data/ledger.db.");
            }
        }

        string parent = Path.GetDirectoryName(file)!;
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new LedgerConfigurationException(
                $"Ledger:Sqlite:Path '{file}' is unusable: its folder cannot be created: {exception.Message}", exception);
        }

        try
        {
            RequireSqliteHeader(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new LedgerConfigurationException(
                $"Ledger:Sqlite:Path '{file}' is unusable: it cannot be read: {exception.Message}", exception);
        }
    }

    // Every SQLite 3 file starts with the 16-byte header string "SQLite format 3\0". A missing or
    // empty file is a new database.
    private static void RequireSqliteHeader(string file)
    {
        if (!File.Exists(file))
        {
            return;
        }

        using FileStream stream = File.OpenRead(file);
        if (stream.Length == 0)
        {
            return;
        }

        Span<byte> header = stackalloc byte[SqliteHeader.Length];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw new LedgerConfigurationException(
                $"Ledger:Sqlite:Path '{file}' is not a SQLite database: pass the path of the ledger's database, or restore it from a backup.");
        }
    }

    private static void RequireFreePort(string url)
    {
        // Kestrel also accepts the wildcard hosts '*' and '+', which Uri cannot parse.
        string parsable = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new LedgerConfigurationException($"Ledger:Urls '{url}' is invalid: use http://ADDRESS:PORT, such as http://127.0.0.1:5090.");
        }

        if (uri.Port == 0)
        {
            return;
        }

        IPAddress address = uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _)
            ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host, out IPAddress? parsed) ? parsed : IPAddress.Any;
        try
        {
            using var probe = new TcpListener(address, uri.Port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException exception)
        {
            string reason = exception.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "is already in use by another process: stop it, or pass another port with --urls"
                : "cannot be bound: " + exception.Message;
            throw new LedgerConfigurationException($"Ledger:Urls '{url}' is unusable: port {uri.Port} on {address} {reason}.", exception);
        }
    }
}
