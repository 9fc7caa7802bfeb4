using System.Security.Cryptography;
using System.Text;

namespace EdgeIoT.Hub.Security;

/// <summary>
/// The secret that admits an operator to the hub's administrative HTTP routes and dashboard. It
/// lives in <c>{DataDirectory}/operator-token</c> (mode 0600), is created once and kept across
/// starts, and is never logged.
/// </summary>
public sealed class OperatorToken
{
    public const string FileName = "operator-token";

    /// <summary>Environment variable that gives the runbook CLI and tools the token of a hub on another machine.</summary>
    public const string EnvironmentVariable = "EDGEIOT_OPERATOR_TOKEN";

    private const int TokenBytes = 32;
    private static readonly byte[] CookieLabel = Encoding.UTF8.GetBytes("edgeiot-hub dashboard cookie v1");

    private readonly byte[] _token;
    private readonly byte[] _cookie;

    private OperatorToken(string token)
    {
        _token = Encoding.UTF8.GetBytes(token);
        _cookie = Encoding.UTF8.GetBytes(Base64Url(HMACSHA256.HashData(_token, CookieLabel)));
    }

    /// <summary>
    /// Value of the dashboard cookie: an HMAC of the token rather than the token itself, so a
    /// copied cookie does not work as a bearer token for the CLI.
    /// </summary>
    public string CookieValue => Encoding.UTF8.GetString(_cookie);

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Reads the token file in <paramref name="dataDirectory"/>, creating it with a new random token when missing.</summary>
    /// <returns>The token and whether this call created the file.</returns>
    public static (OperatorToken Token, bool Created) LoadOrCreate(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        string path = PathIn(dataDirectory);
        if (TryRead(dataDirectory) is string existing)
        {
            return (new OperatorToken(existing), false);
        }

        Directory.CreateDirectory(dataDirectory);
        string token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        string temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, fileOptions))
        {
            stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return (new OperatorToken(token), true);
    }

    /// <summary>Returns the token stored in <paramref name="dataDirectory"/>, or null when there is no readable token file.</summary>
    public static string? TryRead(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        try
        {
            string token = File.ReadAllText(PathIn(dataDirectory)).Trim();
            return token.Length == 0 ? null : token;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Compares <paramref name="candidate"/> with the token in constant time.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    /// <summary>Compares a cookie value with <see cref="CookieValue"/> in constant time.</summary>
    public bool MatchesCookie(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _cookie);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
