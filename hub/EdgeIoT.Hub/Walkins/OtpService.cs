using System.Security.Cryptography;
using System.Text;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Walkins;

/// <summary>
/// One-time codes for walk-in guests. Only hashes of phone and code are stored. A code expires
/// after 5 minutes, a phone gets at most one code per 30 s, and 5 wrong codes lock the phone
/// out for 15 minutes.
/// </summary>
public sealed partial class OtpService(HubDatabase database, ISmsSender sms, TimeProvider time, ILogger<OtpService> logger)
{
    public const int MaxAttempts = 5;

    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(30);

    /// <summary>Returns the phone with spaces, dashes and brackets removed, or null when it is not a phone number.</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        string compact = new(phone.Where(c => c is not (' ' or '-' or '(' or ')')).ToArray());
        string digits = compact.StartsWith('+') ? compact[1..] : compact;
        bool valid = digits.Length is >= 6 and <= 15 && digits.All(char.IsAsciiDigit);
        return valid ? compact : null;
    }

    public async Task<OtpResult> RequestCodeAsync(string phone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phone);

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string phoneHash = HashPhone(phone);
        string code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        using (SqliteConnection connection = database.Open())
        {
            OtpRow? row = Read(connection, phoneHash);
            if (row is not null && row.LockedUntilMs > now)
            {
                return OtpResult.Locked;
            }

            if (row is not null && now - row.LastSentMs < ResendInterval.TotalMilliseconds)
            {
                return OtpResult.RateLimited;
            }

            Save(connection, phoneHash, HashCode(phoneHash, code), now + (long)CodeLifetime.TotalMilliseconds,
                row?.Attempts ?? 0, lockedUntilMs: 0, lastSentMs: now);
        }

        await sms.SendCodeAsync(phone, code, cancellationToken).ConfigureAwait(false);
        LogCodeSent(phoneHash[..12]);
        return OtpResult.Sent;
    }

    /// <summary>
    /// Returns the walk-in that an earlier verify with this phone, code and request id created,
    /// while the code would still be valid; null otherwise. This lets a client retry a verify
    /// whose reply it lost without the used-up code failing it, while anyone who only saw the
    /// code still cannot use it again.
    /// </summary>
    public uint? FindRedeemed(string phone, string code, string requestId)
    {
        ArgumentNullException.ThrowIfNull(phone);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(requestId);

        string phoneHash = HashPhone(phone);
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT walk_in_id FROM otp_redeemed
            WHERE phone_hash = $phone AND request_hash = $request AND until_ms > $now AND walk_in_id IS NOT NULL;
            """;
        command.Parameters.AddWithValue("$phone", phoneHash);
        command.Parameters.AddWithValue("$request", HashRequest(phoneHash, code, requestId));
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        object? id = command.ExecuteScalar();
        return id is long walkInId ? (uint)walkInId : null;
    }

    /// <summary>Records the walk-in a verify with a request id created, for <see cref="FindRedeemed"/>.</summary>
    public void RecordRedeemed(string phone, string code, string requestId, uint walkInId, long untilMs)
    {
        ArgumentNullException.ThrowIfNull(phone);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(requestId);

        string phoneHash = HashPhone(phone);
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO otp_redeemed (phone_hash, request_hash, walk_in_id, until_ms)
            VALUES ($phone, $request, $id, $until)
            ON CONFLICT (phone_hash) DO UPDATE SET request_hash = $request, walk_in_id = $id, until_ms = $until;
            """;
        command.Parameters.AddWithValue("$phone", phoneHash);
        command.Parameters.AddWithValue("$request", HashRequest(phoneHash, code, requestId));
        command.Parameters.AddWithValue("$id", (long)walkInId);
        command.Parameters.AddWithValue("$until", untilMs);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Checks a code; a valid code is used up, and the fifth wrong one locks the phone out.
    /// <paramref name="expiresMs"/> is when a valid code would have expired.
    /// </summary>
    public OtpResult Verify(string phone, string code, out long expiresMs)
    {
        expiresMs = 0;
        ArgumentNullException.ThrowIfNull(phone);
        ArgumentNullException.ThrowIfNull(code);

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string phoneHash = HashPhone(phone);
        using SqliteConnection connection = database.Open();
        OtpRow? row = Read(connection, phoneHash);
        if (row is not null && row.LockedUntilMs > now)
        {
            return OtpResult.Locked;
        }

        if (row is null || row.CodeHash is null)
        {
            return OtpResult.Invalid;
        }

        if (!CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(row.CodeHash), Encoding.ASCII.GetBytes(HashCode(phoneHash, code))))
        {
            return RecordWrongCode(connection, phoneHash, row, now);
        }

        if (row.ExpiresMs < now)
        {
            return OtpResult.Expired;
        }

        Save(connection, phoneHash, codeHash: null, 0, attempts: 0, lockedUntilMs: 0, row.LastSentMs);
        expiresMs = row.ExpiresMs;
        return OtpResult.Valid;
    }

    private OtpResult RecordWrongCode(SqliteConnection connection, string phoneHash, OtpRow row, long now)
    {
        int attempts = row.Attempts + 1;
        if (attempts < MaxAttempts)
        {
            Save(connection, phoneHash, row.CodeHash, row.ExpiresMs, attempts, 0, row.LastSentMs);
            return OtpResult.Invalid;
        }

        // The lockout also voids the current code, so guessing cannot resume where it stopped.
        Save(connection, phoneHash, codeHash: null, 0, attempts: 0, now + (long)Lockout.TotalMilliseconds, row.LastSentMs);
        LogLockedOut(phoneHash[..12], MaxAttempts);
        return OtpResult.Locked;
    }

    private static string HashPhone(string phone) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("phone:" + phone)));

    private static string HashCode(string phoneHash, string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(phoneHash + ":" + code.Trim())));

    private static string HashRequest(string phoneHash, string code, string requestId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(phoneHash + ":" + code.Trim() + ":" + requestId)));

    private static OtpRow? Read(SqliteConnection connection, string phoneHash)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT code_hash, expires_ms, attempts, locked_until_ms, last_sent_ms FROM otp WHERE phone_hash = $phone;
            """;
        command.Parameters.AddWithValue("$phone", phoneHash);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read()
            ? new OtpRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2),
                reader.GetInt64(3), reader.GetInt64(4))
            : null;
    }

    private static void Save(
        SqliteConnection connection, string phoneHash, string? codeHash, long expiresMs, int attempts,
        long lockedUntilMs, long lastSentMs)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO otp (phone_hash, code_hash, expires_ms, attempts, locked_until_ms, last_sent_ms)
            VALUES ($phone, $code, $expires, $attempts, $locked, $sent)
            ON CONFLICT (phone_hash) DO UPDATE SET code_hash = $code, expires_ms = $expires,
                attempts = $attempts, locked_until_ms = $locked, last_sent_ms = $sent;
            """;
        command.Parameters.AddWithValue("$phone", phoneHash);
        command.Parameters.AddWithValue("$code", (object?)codeHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$expires", expiresMs);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$locked", lockedUntilMs);
        command.Parameters.AddWithValue("$sent", lastSentMs);
        command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Sent a one-time code to phone {PhoneHash}")]
    private partial void LogCodeSent(string phoneHash);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning,
        Message = "Phone {PhoneHash} locked out after {Attempts} wrong one-time codes")]
    private partial void LogLockedOut(string phoneHash, int attempts);

    private sealed record OtpRow(string? CodeHash, long ExpiresMs, int Attempts, long LockedUntilMs, long LastSentMs);
}
