using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Forecast;

namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the hub, bound from the "Hub" section of appsettings.json and environment variables.</summary>
public sealed class HubOptions
{
    public const string SectionName = "Hub";

    /// <summary>File in the data directory with the settings 'init' chose (venue, event id, ...).</summary>
    public const string SettingsFileName = "hub.settings.json";

    /// <summary>Venue name, the second level of every MQTT topic.</summary>
    public string Venue { get; set; } = "popup";

    public uint EventId { get; set; } = 1;

    /// <summary>Folder of hub.db, the endpoints file and the SMS outbox; created when missing.</summary>
    public string DataDirectory { get; set; } = "event-data/hub";

    /// <summary>End of the event; delegated credentials stop at this time. Defaults to start + 12 h.</summary>
    public DateTimeOffset? EventEnd { get; set; }

    /// <summary>Path of the offline policy JSON, published retained as is; optional.</summary>
    public string? PolicyFile { get; set; }

    /// <summary>Smallest number of entitlements an import may leave, so no empty snapshot is ever published.</summary>
    public int MinSnapshotSize { get; set; } = 1;

    public MqttOptions Mqtt { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public LedgerOptions Ledger { get; set; } = new();

    public TokenOptions Tokens { get; set; } = new();

    public KeyOptions Keys { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();

    public DashboardOptions Dashboard { get; set; } = new();

    public ForecastOptions Forecast { get; set; } = new();

    public string DatabasePath => Path.Combine(DataDirectory, "hub.db");

    public string EndpointsFilePath => Path.Combine(DataDirectory, HubEndpoints.FileName);

    public string SmsOutboxPath => Sms.OutboxFile ?? Path.Combine(DataDirectory, "sms-outbox.jsonl");

    /// <summary>Checks the values a person can get wrong and names the first invalid one.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Venue) && !Venue.Contains('/', StringComparison.Ordinal)
            && !Venue.Contains('+', StringComparison.Ordinal) && !Venue.Contains('#', StringComparison.Ordinal),
            $"Hub:Venue '{Venue}' is invalid: it must be non-empty and contain no '/', '+' or '#'.");
        Require(!string.IsNullOrWhiteSpace(DataDirectory), "Hub:DataDirectory is missing.");
        Require(Mqtt.Port is >= 0 and <= 65535, $"Hub:Mqtt:Port {Mqtt.Port} is invalid: use 0 to 65535.");
        Require(Mqtt.MaxPayloadBytes > 0, $"Hub:Mqtt:MaxPayloadBytes {Mqtt.MaxPayloadBytes} must be positive.");
        Mqtt.Validate();
        Require(Tokens.LifetimeSeconds is >= 30 and <= 300,
            $"Hub:Tokens:LifetimeSeconds {Tokens.LifetimeSeconds} is invalid: tokens live 30 to 300 s.");
        Require(Keys.RotationInterval >= TimeSpan.FromMinutes(1),
            $"Hub:Keys:RotationInterval {Keys.RotationInterval} is too short: use at least 00:01:00.");
        Require(Keys.ClockSkewSeconds is >= 0 and <= 120,
            $"Hub:Keys:ClockSkewSeconds {Keys.ClockSkewSeconds} is invalid: use 0 to 120.");
        Require(Ledger.BatchSize is >= 1 and <= 10000,
            $"Hub:Ledger:BatchSize {Ledger.BatchSize} is invalid: use 1 to 10000.");
        Require(Uri.TryCreate(Ledger.BaseUrl, UriKind.Absolute, out _),
            $"Hub:Ledger:BaseUrl '{Ledger.BaseUrl}' is not an absolute URL.");
        Require(MinSnapshotSize >= 0, $"Hub:MinSnapshotSize {MinSnapshotSize} must not be negative.");
        string? problem = Dashboard.FindProblem() ?? Forecast.FindProblem();
        Require(problem is null, problem ?? string.Empty);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new HubSettingsException(message);
        }
    }
}
