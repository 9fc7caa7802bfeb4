namespace EdgeIoT.Firmware.App
{
    /// <summary>Provisioned settings of one turnstile controller.</summary>
    public class TurnstileConfig
    {
        /// <summary>Telemetry interval of a provisioned device, in milliseconds.</summary>
        public const int DefaultTelemetryIntervalMilliseconds = 10000;

        public TurnstileConfig()
        {
            SkewSeconds = 5;
            MaxBeaconAgeMilliseconds = 3600000;
            ClockStepLimitMilliseconds = 30000;
            ClockStepHoldMilliseconds = 320000;
            PulseMilliseconds = 800;
            PassageTimeoutMilliseconds = 8000;
            SeenSetCapacity = 512;
            PaymentReserveSectors = 2;
            OutboxWindow = 8;
            ResetReason = ResetReasons.Unknown;
            KeyResyncIntervalMilliseconds = 30000;
            DoorHeldMilliseconds = 30000;
            MinStatusIntervalMilliseconds = 5000;
        }

        public string DeviceId { get; set; }

        public string Venue { get; set; }

        public uint EventId { get; set; }

        /// <summary>Zone of this gate; 0 accepts tokens for every zone.</summary>
        public byte Zone { get; set; }

        /// <summary>Raw 32-byte Ed25519 public key of the venue root, which signs key lists.</summary>
        public byte[] RootPublicKey { get; set; }

        /// <summary>Random id of this boot, written into every event.</summary>
        public string BootId { get; set; }

        /// <summary>Clock skew tolerated on token times, in seconds.</summary>
        public int SkewSeconds { get; set; }

        /// <summary>
        /// Maximum time without a hub time beacon before the clock counts as unreliable, in
        /// milliseconds. Assuming a crystal drift of at most 50 ppm (an estimate), an hour costs 0.18 s.
        /// </summary>
        public int MaxBeaconAgeMilliseconds { get; set; }

        /// <summary>
        /// Largest difference between a beacon and the time the last beacon predicts (by the
        /// monotonic counter) that is applied at once, in milliseconds. A larger one is a hub
        /// clock step: the device keeps its time and reports <c>hub_step</c> in its status.
        /// </summary>
        public int ClockStepLimitMilliseconds { get; set; }

        /// <summary>
        /// How long a hub clock step must persist before the device adopts it, in milliseconds.
        /// The default is the longest token lifetime (300 s) plus 20 s of skew, so every token
        /// issued before the step has expired in true time when the device's time jumps.
        /// </summary>
        public int ClockStepHoldMilliseconds { get; set; }

        public int PulseMilliseconds { get; set; }

        public int PassageTimeoutMilliseconds { get; set; }

        /// <summary>
        /// How long the door may stay open after it opened for an admit before the door-held
        /// alarm, in milliseconds (1,000 to 3,600,000). Only a lane with a door contact uses it.
        /// </summary>
        public int DoorHeldMilliseconds { get; set; }

        /// <summary>
        /// Minimum time between two status messages the firmware publishes on its own after a
        /// key list or snapshot install or a clock step change, in milliseconds (100 to 60,000).
        /// The first change after a quiet period is published at once, and a burst of changes
        /// ends with one status carrying the last versions. Keep it below the hub's 15 s grace
        /// for reported versions, so the readiness check never counts a device as behind.
        /// </summary>
        public int MinStatusIntervalMilliseconds { get; set; }

        /// <summary>
        /// Time between two telemetry samples (queue depth, clock offset, versions), in
        /// milliseconds; 0, the default, sends none. Provisioned devices send one every
        /// <see cref="DefaultTelemetryIntervalMilliseconds"/>, and the hub raises its clock drift alarm from them.
        /// </summary>
        public int TelemetryIntervalMilliseconds { get; set; }

        public int SeenSetCapacity { get; set; }

        /// <summary>Flash sectors of the queue kept free for payment records.</summary>
        public int PaymentReserveSectors { get; set; }

        /// <summary>
        /// QoS 1 event publishes in flight at once, 1 to 64. The window hides the round trip
        /// when a queue drains after an outage; each record still leaves flash only after its PUBACK.
        /// </summary>
        public int OutboxWindow { get; set; }

        /// <summary>
        /// Minimum time between two key-list resync requests, in milliseconds (1 to 3,600,000).
        /// A scan with an unknown kid or an unknown delegation certificate sends one at most this often.
        /// </summary>
        public int KeyResyncIntervalMilliseconds { get; set; }

        /// <summary>
        /// The event's 32-byte rotating-code key from enrollment, or null. Without it, passes
        /// are rejected offline as rotating_code_invalid.
        /// </summary>
        public byte[] RotatingCodeKey { get; set; }

        /// <summary>Why the controller last started, one of <see cref="ResetReasons"/>; reported in the status.</summary>
        public string ResetReason { get; set; }
    }
}
