namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Settings of one lane agent, bound from the "Agent" configuration section.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>MQTT identity of this agent; events are numbered "{DeviceId}:{seq}".</summary>
    public string DeviceId { get; set; } = string.Empty;

    public string Venue { get; set; } = string.Empty;

    public uint EventId { get; set; }

    /// <summary>Zone of this lane; tokens for zone 0 are valid everywhere.</summary>
    public byte Zone { get; set; }

    /// <summary>Folder of the outbox database, credentials and the last key list, snapshot and policy.</summary>
    public string DataDirectory { get; set; } = "/var/lib/edgeiot-agent";

    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>Venue root public key (32 bytes, base64) that signs the key list.</summary>
    public string RootPublicKey { get; set; } = string.Empty;

    /// <summary>
    /// The event's rotating-code key (32 bytes, base64) from enrollment, needed to check passes
    /// offline. It is secret like the MQTT password; empty leaves passes to the hub's online check.
    /// </summary>
    public string RotatingCodeKey { get; set; } = string.Empty;

    /// <summary>Optional hub.endpoints.json; its port, venue, event and root key fill unset values.</summary>
    public string? HubEndpointsFile { get; set; }

    /// <summary>Optional hub HTTP base URL; when set, the agent enrolls on first start.</summary>
    public string? EnrollUrl { get; set; }

    /// <summary>How long a scan waits for the hub's check response before the offline policy decides.</summary>
    public TimeSpan OnlineCheckTimeout { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>When the lane stops and resumes online checks: failure and latency thresholds with hysteresis.</summary>
    public HubLink.HubLinkThresholds Link { get; set; } = new();

    /// <summary>Clock skew tolerated on token issue and expiry times, in seconds (0 to 120).</summary>
    public int ClockSkewSeconds { get; set; } = 20;

    /// <summary>Largest difference from the hub clock at which time checks are still trusted.</summary>
    public TimeSpan MaxClockOffset { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Trust the local clock without a hub time beacon. Only for simulators and benches whose
    /// clock is the hub's clock.
    /// </summary>
    public bool TrustLocalClock { get; set; }

    /// <summary>
    /// Minimum time between two key resync requests to the hub. A scan rejected as unknown_kid
    /// or delegation_unknown sends one at most this often (1 s to 1 h).
    /// </summary>
    public TimeSpan KeyResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Identical reads from one reader inside this window count as one scan.</summary>
    public TimeSpan DebounceWindow { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>How long the gate waits for the guest to pass before the admit is annulled.</summary>
    public TimeSpan PassageTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Maximum number of events in the outbox. Beyond it only payments are accepted.</summary>
    public int OutboxCapacity { get; set; } = 100_000;

    /// <summary>Longest wait on shutdown for the outbox to drain to the hub.</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of telemetry samples.</summary>
    public TimeSpan TelemetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Currency of walk-in purchases (ISO 4217).</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>
    /// Optional folder of walk-in purchase requests, one JSON file each, for simulators and
    /// test benches that drive a separate agent process; empty turns it off.
    /// </summary>
    public string? PurchaseInbox { get; set; }

    public HardwareOptions Hardware { get; set; } = new();

    public Metrics.AgentMetricsOptions Metrics { get; set; } = new();
}
