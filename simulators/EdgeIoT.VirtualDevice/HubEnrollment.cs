using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeIoT.VirtualDevice;

/// <summary>The hub's endpoints file and its device enrollment API, as the exe reads them.</summary>
public static class HubEnrollment
{
    public sealed record EndpointsFile(
        [property: JsonPropertyName("mqttPort")] int MqttPort,
        [property: JsonPropertyName("httpUrl")] string HttpUrl,
        [property: JsonPropertyName("venue")] string Venue,
        [property: JsonPropertyName("eventId")] uint EventId,
        [property: JsonPropertyName("rootPublicKey")] string RootPublicKey,
        [property: JsonPropertyName("mqttTlsPort")] int MqttTlsPort = 0);

    public sealed record Credentials(
        string DeviceId,
        string MqttUsername,
        string MqttPassword,
        string Venue,
        uint EventId,
        string RootPublicKey,
        int MqttPort,
        string? RotatingCodeKey = null);

    public static async Task<EndpointsFile> ReadEndpointsAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<EndpointsFile>(stream, JsonSerializerOptions.Web, cancellationToken)
            ?? throw new JsonException($"{path} contains JSON null, expected the hub endpoints object.");
    }

    /// <summary>Environment variable with the hub's operator token, which enrollment needs.</summary>
    public const string OperatorTokenVariable = "EDGEIOT_OPERATOR_TOKEN";

    /// <summary>Returns the operator token from <see cref="OperatorTokenVariable"/>, or null when it is not set.</summary>
    public static string? OperatorToken() =>
        Environment.GetEnvironmentVariable(OperatorTokenVariable) is { Length: > 0 } token ? token : null;

    /// <summary>
    /// Enrolls the device with POST {baseUrl}/api/devices, sending the operator token from
    /// <see cref="OperatorTokenVariable"/>, and returns its MQTT credentials. Throws
    /// <see cref="HttpRequestException"/> with a one-line message when the hub rejects the request.
    /// </summary>
    public static async Task<Credentials> EnrollAsync(Uri baseUrl, string deviceId, byte zone, CancellationToken cancellationToken)
    {
        if (!baseUrl.IsLoopback)
        {
            throw new ArgumentException($"Enroll URL {baseUrl} is not a loopback address; the simulator talks to 127.0.0.1 only.", nameof(baseUrl));
        }

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        if (OperatorToken() is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await http.PostAsJsonAsync(
            "/api/devices", new { deviceId, deviceClass = "firmware", zone = (int)zone }, cancellationToken);
        if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new HttpRequestException(
                $"The hub at {baseUrl} rejected the operator token in {OperatorTokenVariable} ({(int)response.StatusCode}): "
                + "set it to the current contents of operator-token in the hub's data folder.",
                inner: null,
                response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"Enrollment of {deviceId} at {baseUrl} failed with {(int)response.StatusCode}: {body}", inner: null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<Credentials>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new JsonException($"Enrollment of {deviceId} returned JSON null.");
    }
}
