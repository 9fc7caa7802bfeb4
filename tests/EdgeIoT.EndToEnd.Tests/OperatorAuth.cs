using System.Net.Http.Headers;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>The hub's operator token as the tests read it from the hub's data directory and send it.</summary>
internal static class OperatorAuth
{
    /// <summary>Environment variable from which the agent, the virtual ESP32 and the technician CLI take the token.</summary>
    public const string EnvironmentVariable = "EDGEIOT_OPERATOR_TOKEN";

    public static string ReadToken(string hubDataDirectory) =>
        File.ReadAllText(Path.Combine(hubDataDirectory, "operator-token")).Trim();

    /// <summary>Returns a client of the hub's HTTP API that sends <paramref name="token"/> as the bearer token.</summary>
    public static HttpClient Client(Uri baseAddress, string token, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        if (timeout is TimeSpan limit)
        {
            client.Timeout = limit;
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
