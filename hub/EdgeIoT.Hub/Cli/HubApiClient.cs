using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeIoT.Hub.Cli;

/// <summary>The runbook's client of a running hub's HTTP API; turns problem responses into <see cref="CliException"/>.</summary>
public sealed class HubApiClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    /// <param name="baseUrl">The hub's HTTP URL.</param>
    /// <param name="operatorToken">Sent as the bearer token on every request; null sends none.</param>
    public HubApiClient(Uri baseUrl, string? operatorToken = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);

        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = RequestTimeout };
        if (operatorToken is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorToken);
        }
    }

    public Uri BaseUrl { get; }

    /// <summary>Returns whether a hub responds to GET /health within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri("/health", UriKind.Relative), limit.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, content: null, cancellationToken);
        return await ReadAsync<T>(response, path, cancellationToken);
    }

    public async Task<T> PostAsync<T>(string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, path, content, cancellationToken);
        return await ReadAsync<T>(response, path, cancellationToken);
    }

    public async Task PostAsync(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, path, content: null, cancellationToken);
    }

    /// <summary>Posts and returns the status code and body, also for error responses, so the caller can map them.</summary>
    public async Task<(int Status, string Body)> PostRawAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
            ThrowIfUnauthorized(response, HttpMethod.Post, path);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException exception)
        {
            throw new CliException($"The hub at {BaseUrl} did not respond to POST {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Returns the detail of a problem response body, or the body itself when it is not one.</summary>
    public static string ProblemDetail(string body)
    {
        ArgumentNullException.ThrowIfNull(body);

        try
        {
            using JsonDocument problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty("detail", out JsonElement detail) && detail.GetString() is string text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document; the raw body follows.
        }

        return body.Length > 300 ? body[..300] : body;
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException($"The hub at {BaseUrl} did not respond to {method} {path}: {exception.Message}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"The hub at {BaseUrl} timed out on {method} {path} after {RequestTimeout.TotalSeconds} s.", exception);
        }

        if (!response.IsSuccessStatusCode)
        {
            ThrowIfUnauthorized(response, method, path);
            string detail = await ReadProblemAsync(response, cancellationToken);
            int status = (int)response.StatusCode;
            response.Dispose();
            throw new CliException($"The hub rejected {method} {path} with HTTP {status}: {detail}", exitCode: 1);
        }

        return response;
    }

    private void ThrowIfUnauthorized(HttpResponseMessage response, HttpMethod method, string path)
    {
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized)
        {
            return;
        }

        response.Dispose();
        throw new CliException(
            $"The hub at {BaseUrl} requires the operator token for {method} {path}, and "
            + (_http.DefaultRequestHeaders.Authorization is null ? "none was found" : "the one sent does not match")
            + $": pass --data with the hub's data directory (it reads {Security.OperatorToken.FileName} there), "
            + $"or set {Security.OperatorToken.EnvironmentVariable}.");
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken)
                ?? throw new CliException($"The hub returned JSON null for {path}.");
        }
        catch (JsonException exception)
        {
            throw new CliException($"The hub's response to {path} is not the expected JSON: {exception.Message}", exception);
        }
    }

    private static async Task<string> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ProblemDetail(await response.Content.ReadAsStringAsync(cancellationToken));
}
