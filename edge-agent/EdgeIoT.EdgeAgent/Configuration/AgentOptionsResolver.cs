using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.EdgeAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>
/// Completes <see cref="AgentOptions"/> after binding: values from the hub endpoints file,
/// then stored credentials, or a first enrollment at the hub that stores them, unless
/// <see cref="AgentEnrollment"/> disables it. It runs once, when the options are first read at
/// startup, and throws <see cref="AgentConfigurationException"/> when it cannot complete them.
/// </summary>
public sealed class AgentOptionsResolver : IPostConfigureOptions<AgentOptions>
{
    public const string CredentialsFileName = "credentials.json";

    /// <summary>Environment variable with the hub's operator token, sent with the enrollment request.</summary>
    public const string OperatorTokenVariable = "EDGEIOT_OPERATOR_TOKEN";

    private static readonly TimeSpan EnrollTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly AgentEnrollment _enrollment;

    public AgentOptionsResolver(ILogger<AgentOptionsResolver> logger, AgentEnrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(enrollment);

        _logger = logger;
        _enrollment = enrollment;
    }

    public void PostConfigure(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (!string.IsNullOrWhiteSpace(options.HubEndpointsFile))
        {
            ApplyEndpoints(options, ReadEndpoints(options.HubEndpointsFile));
        }

        DeviceCredentials? credentials = ReadCredentials(options) ?? EnrollIfConfigured(options);
        if (credentials is not null)
        {
            ApplyCredentials(options, credentials);
        }
    }

    /// <summary>Reads the hub endpoints file; the error names the file and what is wrong with it.</summary>
    public static HubEndpoints ReadEndpoints(string path)
    {
        try
        {
            byte[] json = File.ReadAllBytes(path);
            return JsonSerializer.Deserialize(json, AgentJson.Default.HubEndpoints)
                ?? throw new AgentConfigurationException($"Hub endpoints file {path} contains JSON null.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigurationException(
                $"Cannot read the hub endpoints file {path} (Agent:HubEndpointsFile): {exception.Message}", exception);
        }
        catch (JsonException exception)
        {
            throw new AgentConfigurationException(
                $"Hub endpoints file {path} is not valid JSON: {exception.Message}", exception);
        }
    }

    private static void ApplyEndpoints(AgentOptions options, HubEndpoints endpoints)
    {
        // The hub chooses its port at start, so the file wins over a configured port.
        int port = options.Mqtt.UseTls ? endpoints.MqttTlsPort : endpoints.MqttPort;
        if (port > 0)
        {
            options.Mqtt.Port = port;
        }

        options.Venue = Fill(options.Venue, endpoints.Venue);
        options.RootPublicKey = Fill(options.RootPublicKey, endpoints.RootPublicKey);
        if (options.EventId == 0)
        {
            options.EventId = endpoints.EventId;
        }

        if (string.IsNullOrWhiteSpace(options.EnrollUrl) && string.IsNullOrEmpty(options.Mqtt.Username))
        {
            options.EnrollUrl = endpoints.HttpUrl;
        }
    }

    private static void ApplyCredentials(AgentOptions options, DeviceCredentials credentials)
    {
        options.Mqtt.Username = credentials.MqttUsername;
        options.Mqtt.Password = credentials.MqttPassword;
        options.Venue = Fill(options.Venue, credentials.Venue);
        options.RootPublicKey = Fill(options.RootPublicKey, credentials.RootPublicKey);
        options.RotatingCodeKey = Fill(options.RotatingCodeKey, credentials.RotatingCodeKey);
        if (options.EventId == 0)
        {
            options.EventId = credentials.EventId;
        }

        if (credentials.MqttPort > 0 && string.IsNullOrWhiteSpace(options.HubEndpointsFile))
        {
            options.Mqtt.Port = credentials.MqttPort;
        }
    }

    private static string Fill(string current, string? fallback) =>
        string.IsNullOrWhiteSpace(current) && !string.IsNullOrWhiteSpace(fallback) ? fallback : current;

    private DeviceCredentials? ReadCredentials(AgentOptions options)
    {
        string path = Path.Combine(options.DataDirectory, CredentialsFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            DeviceCredentials? stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), AgentJson.Default.DeviceCredentials);
            if (stored is not null && stored.DeviceId == options.DeviceId)
            {
                return stored;
            }

            _logger.LogWarning(
                "Ignored {Path}: it belongs to device {StoredDeviceId}, not {DeviceId}",
                path,
                stored?.DeviceId,
                options.DeviceId);
        }
        catch (JsonException exception)
        {
            _logger.LogWarning(exception, "Ignored {Path}: it is not valid JSON", path);
        }

        return null;
    }

    private DeviceCredentials? EnrollIfConfigured(AgentOptions options)
    {
        if (!_enrollment.Enabled || string.IsNullOrWhiteSpace(options.EnrollUrl) || !string.IsNullOrEmpty(options.Mqtt.Username))
        {
            return null;
        }

        var url = new Uri(new Uri(options.EnrollUrl, UriKind.Absolute), "api/devices");
        _logger.LogInformation("Enrolling device {DeviceId} at {Url}", options.DeviceId, url);

        // Options are read synchronously at startup, so enrollment blocks here; it happens
        // once per device, after which the stored credentials are used.
        using var http = new HttpClient { Timeout = EnrollTimeout };
        using var content = JsonContent.Create(
            new EnrollmentRequest(options.DeviceId, EventOutbox.DeviceClass, options.Zone), AgentJson.Default.EnrollmentRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (Environment.GetEnvironmentVariable(OperatorTokenVariable) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = Send(http, request, options.DeviceId);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            string sent = request.Headers.Authorization is null ? $"{OperatorTokenVariable} is not set" : $"the token in {OperatorTokenVariable} does not match";
            throw new AgentConfigurationException(
                $"Enrollment of {options.DeviceId} at {url} failed with HTTP 401 because {sent}. Set {OperatorTokenVariable} to the "
                + "hub's operator token (the operator-token file in the hub's data directory) for the first start.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new AgentConfigurationException(
                $"Enrollment of {options.DeviceId} at {url} failed with HTTP {(int)response.StatusCode}; "
                + $"check Agent:EnrollUrl, and that {OperatorTokenVariable} holds the hub's operator token.");
        }

        using Stream body = response.Content.ReadAsStream();
        DeviceCredentials credentials = JsonSerializer.Deserialize(body, AgentJson.Default.DeviceCredentials)
            ?? throw new AgentConfigurationException($"Enrollment at {url} returned JSON null.");
        SaveCredentials(options, credentials);
        return credentials;
    }

    private static HttpResponseMessage Send(HttpClient http, HttpRequestMessage request, string deviceId)
    {
        try
        {
            return http.Send(request);
        }
        catch (HttpRequestException exception)
        {
            throw new AgentConfigurationException(
                $"Enrollment of {deviceId} at {request.RequestUri} failed: {exception.Message}. Start the hub, or fix Agent:EnrollUrl.",
                exception);
        }
        catch (TaskCanceledException exception)
        {
            throw new AgentConfigurationException(
                $"Enrollment of {deviceId} at {request.RequestUri} timed out after {EnrollTimeout.TotalSeconds} s. Check that the hub "
                + "runs there, or fix Agent:EnrollUrl.",
                exception);
        }
    }

    private void SaveCredentials(AgentOptions options, DeviceCredentials credentials)
    {
        Directory.CreateDirectory(options.DataDirectory);
        string path = Path.Combine(options.DataDirectory, CredentialsFileName);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, fileOptions))
        {
            JsonSerializer.Serialize(stream, credentials, AgentJson.Default.DeviceCredentials);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to new files; an existing file is narrowed here.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        _logger.LogInformation("Enrolled as MQTT user {Username}; credentials stored in {Path}", credentials.MqttUsername, path);
    }
}
