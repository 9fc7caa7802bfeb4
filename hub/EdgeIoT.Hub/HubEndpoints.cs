using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeIoT.Hub;

/// <summary>
/// Where a started hub listens, written to {DataDirectory}/hub.endpoints.json so other processes
/// and tests find ports that the operating system chose.
/// </summary>
public sealed record HubEndpoints
{
    public const string FileName = "hub.endpoints.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Plain MQTT port; 0 when the broker listens with TLS only.</summary>
    [JsonPropertyName("mqttPort")]
    public int MqttPort { get; init; }

    /// <summary>MQTT over TLS port of the embedded broker; 0 (and left out of the file) when TLS is off.</summary>
    [JsonPropertyName("mqttTlsPort")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int MqttTlsPort { get; init; }

    /// <summary>Base URL of the HTTP API, such as http://127.0.0.1:5080.</summary>
    [JsonPropertyName("httpUrl")]
    public required string HttpUrl { get; init; }

    [JsonPropertyName("venue")]
    public required string Venue { get; init; }

    [JsonPropertyName("eventId")]
    public uint EventId { get; init; }

    /// <summary>Venue root public key (raw 32 bytes, base64) that devices use to check key lists.</summary>
    [JsonPropertyName("rootPublicKey")]
    public required string RootPublicKey { get; init; }

    /// <summary>Reads the endpoints file a hub wrote into <paramref name="dataDirectory"/>.</summary>
    public static HubEndpoints Read(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        return JsonSerializer.Deserialize<HubEndpoints>(File.ReadAllBytes(path), JsonOptions)
            ?? throw new JsonException($"{path} contains JSON null, expected the hub endpoints object.");
    }

    /// <summary>Writes the file through a temporary file and a rename, so readers never see half of it.</summary>
    public void Write(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }
}
