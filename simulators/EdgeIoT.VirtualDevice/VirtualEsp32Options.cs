using EdgeIoT.Firmware.App;

namespace EdgeIoT.VirtualDevice;

/// <summary>Provisioning of one virtual turnstile controller.</summary>
public sealed class VirtualEsp32Options
{
    public required string DeviceId { get; init; }

    public required string Venue { get; init; }

    public uint EventId { get; init; }

    /// <summary>Zone of the gate; 0 accepts tokens for every zone.</summary>
    public byte Zone { get; init; }

    public string MqttHost { get; init; } = "127.0.0.1";

    public int MqttPort { get; init; } = 1883;

    /// <summary>PEM trust anchor of the broker's TLS certificate; when set, the device connects with TLS.</summary>
    public string? MqttTlsCaFile { get; init; }

    /// <summary>MQTT user name from enrollment; null connects without credentials.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Raw 32-byte Ed25519 public key of the venue root.</summary>
    public required byte[] RootPublicKey { get; init; }

    /// <summary>The event's 32-byte rotating-code key from enrollment; null rejects passes offline.</summary>
    public byte[]? RotatingCodeKey { get; init; }

    /// <summary>Minimum time between two key resync requests to the hub.</summary>
    public TimeSpan KeyResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>File used as the flash partition of the event queue.</summary>
    public required string FlashFile { get; init; }

    /// <summary>
    /// File used as the flash region of the seen-set, so admitted token ids survive a reset;
    /// null puts it next to <see cref="FlashFile"/> with the suffix ".seen".
    /// </summary>
    public string? SeenSetFlashFile { get; init; }

    /// <summary>Sectors of 4 KiB in the seen-set region: two banks of three hold 613 entries each, above the 512 the seen-set keeps.</summary>
    public int SeenSetFlashSectorCount { get; init; } = 6;

    /// <summary>QoS 1 event publishes in flight at once while the queue drains.</summary>
    public int OutboxWindow { get; init; } = 8;

    /// <summary>Time between two telemetry samples; zero sends none.</summary>
    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromMilliseconds(TurnstileConfig.DefaultTelemetryIntervalMilliseconds);

    /// <summary>Offset of the device's wall clock from true time; hub time beacons correct it.</summary>
    public TimeSpan ClockSkew { get; init; }

    /// <summary>Flash sector size in bytes; the ESP32's SPI flash erases 4 KiB sectors.</summary>
    public int FlashSectorSize { get; init; } = 4096;

    /// <summary>Sectors of the queue partition; 64 sectors of 4 KiB hold roughly 500 events of 500 bytes.</summary>
    public int FlashSectorCount { get; init; } = 64;

    public int PulseMilliseconds { get; init; } = 300;

    public int PassageTimeoutMilliseconds { get; init; } = 5000;

    /// <summary>Whether a simulated guest walks through after every relay pulse.</summary>
    public bool AutoPassage { get; init; } = true;

    /// <summary>
    /// Whether the lane has a door position contact (<see cref="SimulatedGatePins.SetDoorOpen"/>).
    /// Simulated guests then open the door before the passage and close it after.
    /// </summary>
    public bool DoorContact { get; init; }

    /// <summary>How long the door may stay open after an admit before the door-held alarm, 1 s to 1 h.</summary>
    public TimeSpan DoorHeldTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
