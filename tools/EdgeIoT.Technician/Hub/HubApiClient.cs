using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeIoT.Technician.Hub;

/// <summary>The hub's HTTP API as the technician uses it: device enrollment and device status.</summary>
public sealed class HubApiClient(HttpClient http) : IDisposable
{
    /// <summary>Environment variable with the hub's operator token, which enrollment and status need.</summary>
    public const string OperatorTokenVariable = "EDGEIOT_OPERATOR_TOKEN";

    /// <summary>Creates a client of the hub at <paramref name="hub"/> that sends the operator token from the environment.</summary>
    public static HubApiClient Create(Uri hub, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = hub, Timeout = timeout };
        if (Environment.GetEnvironmentVariable(OperatorTokenVariable) is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return new HubApiClient(http);
    }

    /// <summary>Enrolls a firmware device with POST /api/devices and returns its credentials.</summary>
    /// <exception cref="TechnicianException">The hub is unreachable or refused the enrollment.</exception>
    public async Task<EnrollmentResponse> EnrollAsync(string deviceId, byte zone, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(
                "/api/devices", new { deviceId, deviceClass = "firmware", zone = (int)zone }, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new TechnicianException(
                $"Hub {http.BaseAddress} is not reachable: {exception.Message}. Check --hub and that the hub is running.", exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(cancellationToken);
                string hint = response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                    ? $" Set {OperatorTokenVariable} to the token in the hub's data directory (operator-token)."
                    : string.Empty;
                throw new TechnicianException(
                    $"Hub {http.BaseAddress} refused to enroll {deviceId} with HTTP {(int)response.StatusCode}: {ProblemDetail(body)}{hint}");
            }

            return await response.Content.ReadFromJsonAsync<EnrollmentResponse>(JsonSerializerOptions.Web, cancellationToken)
                ?? throw new TechnicianException($"Hub {http.BaseAddress} returned JSON null for the enrollment of {deviceId}.");
        }
    }

    /// <summary>Reads GET /api/status and returns the entry of one device, or null when the hub does not know it.</summary>
    public async Task<DeviceStatusEntry?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        HubStatusResponse? status;
        try
        {
            status = await http.GetFromJsonAsync<HubStatusResponse>("/api/status", JsonSerializerOptions.Web, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new TechnicianException($"Hub {http.BaseAddress} is not reachable: {exception.Message}.", exception);
        }

        return status?.Devices?.FirstOrDefault(device => device.DeviceId == deviceId);
    }

    public void Dispose() => http.Dispose();

    private static string ProblemDetail(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("detail", out JsonElement detail) && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not a problem-details document; the raw body is shown instead.
        }

        return body.Length > 300 ? body[..300] : body;
    }
}
