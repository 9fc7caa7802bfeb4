using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>The hub's loopback HTTP API as the crowd, the operator and enrollment use it.</summary>
public sealed class HubClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<ImportResult> ImportGuestsAsync(string csv, CancellationToken cancellationToken)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await http.PostAsync("/api/entitlements/import", content, cancellationToken);
        return await ReadAsync<ImportResult>(response, "import the guest list", cancellationToken);
    }

    public async Task<IReadOnlyList<EntitlementInfo>> ListEntitlementsAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync("/api/entitlements", cancellationToken);
        return await ReadAsync<List<EntitlementInfo>>(response, "list entitlements", cancellationToken);
    }

    public Task<Enrollment> EnrollAsync(string deviceId, string deviceClass, int zone, CancellationToken cancellationToken) =>
        PostAsync<Enrollment>("/api/devices", new { deviceId, deviceClass, zone }, "enroll " + deviceId, cancellationToken);

    public Task<IssuedToken> CheckInAsync(string orderCode, CancellationToken cancellationToken) =>
        PostAsync<IssuedToken>("/api/checkin", new { orderCode }, "check in " + orderCode, cancellationToken);

    public async Task RequestOneTimeCodeAsync(string phone, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync("/api/walkins/otp", new { phone }, Json, cancellationToken);
        await EnsureSuccessAsync(response, "request a one-time code", cancellationToken);
    }

    /// <summary>
    /// Verifies a walk-in's code. Retries must pass the same <paramref name="requestId"/>, so a
    /// retry after a lost reply gets the walk-in the first attempt created.
    /// </summary>
    public Task<IssuedToken> VerifyWalkInAsync(
        string phone, string code, long spendLimitMinor, string requestId, CancellationToken cancellationToken) =>
        PostAsync<IssuedToken>(
            "/api/walkins/verify", new { phone, code, spendLimitMinor, requestId }, "verify a walk-in", cancellationToken);

    public Task<AssistantGrant> AddAssistantAsync(
        string creatorOrderCode, string name, long spendLimitMinor, CancellationToken cancellationToken) =>
        PostAsync<AssistantGrant>(
            $"/api/creators/{Uri.EscapeDataString(creatorOrderCode)}/assistants",
            new { name, spendLimitMinor },
            "delegate to an assistant",
            cancellationToken);

    public Task<IssuedToken> AssistantTokenAsync(long assistantEntitlementId, CancellationToken cancellationToken) =>
        PostAsync<IssuedToken>(
            $"/api/assistants/{assistantEntitlementId}/token", new { }, "issue an assistant token", cancellationToken);

    public async Task<HubStatus> StatusAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync("/api/status", cancellationToken);
        return await ReadAsync<HubStatus>(response, "read hub status", cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private async Task<T> PostAsync<T>(string path, object body, string action, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
        return await ReadAsync<T>(response, action, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, action, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"The hub returned a JSON null body for the request to {action}.");
    }

    private static string ProblemDetail(string body)
    {
        try
        {
            using JsonDocument problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty("detail", out JsonElement detail)
                && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return body;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HubRequestException(
                $"The hub rejected the request to {action} (HTTP {(int)response.StatusCode}): {ProblemDetail(body)}",
                (int)response.StatusCode);
        }
    }
}

public sealed class HubRequestException(string message, int statusCode) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

public sealed record ImportResult(int Imported, IReadOnlyList<ImportError> Rejected, long SnapshotVersion);

public sealed record ImportError(int Row, string Column, string Value, string Message);

public sealed record EntitlementInfo(
    long EntitlementId, string OrderCode, string Role, string Tier, string PaymentStatus, bool SingleEntry, bool Cancelled);

public sealed record Enrollment(
    string DeviceId, string MqttUsername, string MqttPassword, string Venue, uint EventId, string RootPublicKey, int MqttPort);

public sealed record IssuedToken(string Token, long EntitlementId, string? Role, long ExpiresAtMs);

public sealed record AssistantGrant(long AssistantEntitlementId, long ExpiresAtMs);

public sealed record HubStatus(
    string Venue,
    long SnapshotVersion,
    long KeyListVersion,
    IReadOnlyList<DeviceState> Devices,
    LaneDepths Lanes,
    LedgerLink Ledger);

public sealed record DeviceState(string DeviceId, string DeviceClass, string State, long LastSeenMs);

public sealed record LaneDepths(long Payments, long Entitlements, long CheckIns, long Telemetry)
{
    public long Total => Payments + Entitlements + CheckIns + Telemetry;
}

public sealed record LedgerLink(bool Reachable, long LastSuccessMs, long Sent, string? LastError);
