using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Gate;
using EdgeIoT.Firmware.Messages;
using EdgeIoT.Firmware.Persistence;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Queue;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// The turnstile's main logic. A scan is decoded and verified against the key list,
    /// snapshot and seen-set. The offline policy on the device then decides, so the event
    /// mode is "offline" and the policy version is recorded. An admit pulses the gate. Every
    /// decision becomes an event in the flash queue before it is published with QoS 1, and it
    /// leaves the queue only after the PUBACK. Retained hub messages install keys, snapshot,
    /// policy and the clock offset, and never roll back to an older version.
    /// </summary>
    public partial class TurnstileApp
    {
        public const string NoPolicyRule = "no-policy";
        public const long TicksPerMillisecond = 10000;

        private readonly TurnstileConfig _config;
        private readonly ISignatureVerifier _signatureVerifier;
        private readonly IMqttTransport _transport;
        private readonly IDeviceClock _clock;
        private readonly FlashRingQueue _queue;
        private readonly TurnstileStateMachine _gate;
        private readonly TokenVerifier _verifier;
        private readonly SeenSetJournal _seenJournal;
        private readonly object _sync = new object();

        private SeenSet _seen;
        private EntitlementSnapshot _snapshot;
        private OfflinePolicy _policy;
        private uint _deviceOfflineAdmits;
        private long _eventsProduced;
        private long _eventsRefused;

        /// <summary>Creates the app with a seen-set in RAM only, so it is empty after every reset.</summary>
        public TurnstileApp(
            TurnstileConfig config,
            ISignatureVerifier signatureVerifier,
            IFlashStorage flash,
            IGatePins pins,
            IMqttTransport transport,
            IDeviceClock clock)
            : this(config, signatureVerifier, flash, null, pins, transport, clock)
        {
        }

        /// <summary>
        /// Creates the app, mounting the event queue from <paramref name="flash"/> and the
        /// seen-set from <paramref name="seenSetFlash"/> (null keeps the seen-set in RAM only).
        /// </summary>
        public TurnstileApp(
            TurnstileConfig config,
            ISignatureVerifier signatureVerifier,
            IFlashStorage flash,
            IFlashStorage seenSetFlash,
            IGatePins pins,
            IMqttTransport transport,
            IDeviceClock clock)
        {
            RequireNotNull(config, nameof(config));
            RequireNotNull(signatureVerifier, nameof(signatureVerifier));
            RequireNotNull(flash, nameof(flash));
            RequireNotNull(pins, nameof(pins));
            RequireNotNull(transport, nameof(transport));
            RequireNotNull(clock, nameof(clock));
            if (config.DeviceId == null || config.Venue == null || config.RootPublicKey == null
                || config.RootPublicKey.Length != 32)
            {
                throw new System.ArgumentException("Config needs DeviceId, Venue and a 32-byte RootPublicKey.", nameof(config));
            }

            if (config.RotatingCodeKey != null && config.RotatingCodeKey.Length != RotatingCode.KeyLength)
            {
                throw new System.ArgumentException(
                    "Config RotatingCodeKey is " + config.RotatingCodeKey.Length.ToString()
                    + " bytes; the key has 32.", nameof(config));
            }

            if (config.KeyResyncIntervalMilliseconds < 1 || config.KeyResyncIntervalMilliseconds > 3600000)
            {
                throw new System.ArgumentException(
                    "Config KeyResyncIntervalMilliseconds " + config.KeyResyncIntervalMilliseconds.ToString()
                    + " is invalid: use 1 to 3600000 ms.", nameof(config));
            }

            if (config.TelemetryIntervalMilliseconds < 0 || config.TelemetryIntervalMilliseconds > 3600000)
            {
                throw new System.ArgumentException(
                    "Config TelemetryIntervalMilliseconds " + config.TelemetryIntervalMilliseconds.ToString()
                    + " is invalid: use 0 (none) to 3600000 ms.", nameof(config));
            }

            if (config.DoorHeldMilliseconds < 1000 || config.DoorHeldMilliseconds > 3600000)
            {
                throw new System.ArgumentException(
                    "Config DoorHeldMilliseconds " + config.DoorHeldMilliseconds.ToString()
                    + " is invalid: use 1000 to 3600000 ms.", nameof(config));
            }

            if (config.MinStatusIntervalMilliseconds < 100 || config.MinStatusIntervalMilliseconds > 60000)
            {
                throw new System.ArgumentException(
                    "Config MinStatusIntervalMilliseconds " + config.MinStatusIntervalMilliseconds.ToString()
                    + " is invalid: use 100 to 60000 ms.", nameof(config));
            }

            if (config.OutboxWindow < 1 || config.OutboxWindow > 64)
            {
                throw new System.ArgumentException(
                    "Config OutboxWindow " + config.OutboxWindow.ToString() + " is invalid: use 1 to 64 publishes in flight.",
                    nameof(config));
            }

            _config = config;
            _signatureVerifier = signatureVerifier;
            _transport = transport;
            _clock = clock;
            _queue = new FlashRingQueue(flash, config.PaymentReserveSectors);
            _gate = new TurnstileStateMachine(
                pins, config.PulseMilliseconds, config.PassageTimeoutMilliseconds, config.DoorHeldMilliseconds);
            _gate.Completed += OnGateCompleted;
            _gate.AlarmChanged += OnGateAlarm;
            _verifier = new TokenVerifier(signatureVerifier, config.EventId, config.SkewSeconds);
            if (config.RotatingCodeKey != null)
            {
                _verifier.SetRotatingCodeKey(config.RotatingCodeKey);
            }

            _resyncThrottle = new KeyResyncThrottle(config.KeyResyncIntervalMilliseconds);
            _seen = new SeenSet(config.SeenSetCapacity);
            if (seenSetFlash != null)
            {
                _seenJournal = new SeenSetJournal(seenSetFlash, config.SeenSetCapacity);
                _seenJournal.LoadInto(_seen);
            }

            _lastHubContactTicks = clock.MonotonicTicks;
            _gate.ReadFireAlarmInput();
        }

        /// <summary>Raised for conditions a host should log, such as a rejected key list or a full queue.</summary>
        public event FirmwareNoticeHandler Notice;

        public GateState GateState
        {
            get { return _gate.State; }
        }

        /// <summary>Events stored and not yet acknowledged by the hub.</summary>
        public int QueueDepth
        {
            get
            {
                lock (_sync)
                {
                    return _queue.Count;
                }
            }
        }

        /// <summary>True while the queue refuses non-payment events; the gate keeps deciding.</summary>
        public bool QueueFull
        {
            get
            {
                lock (_sync)
                {
                    return _queue.IsFull;
                }
            }
        }

        /// <summary>
        /// False in safe mode (queue full): a walk-in sale must then be rejected, because its
        /// payment event could not be stored and so could never be reconciled.
        /// </summary>
        public bool WalkInSalesAllowed
        {
            get { return !QueueFull; }
        }

        public long EventsProduced
        {
            get { return _eventsProduced; }
        }

        /// <summary>
        /// Sequence number of the newest event stored in flash, or 0 before the first. It is
        /// re-mounted from flash, so it counts the events of earlier boots too.
        /// </summary>
        public long LastSequence
        {
            get
            {
                lock (_sync)
                {
                    return _queue.NextSequence - 1;
                }
            }
        }

        /// <summary>Events that could not be stored because the queue was full.</summary>
        public long EventsRefused
        {
            get { return _eventsRefused; }
        }

        public uint KeyListVersion
        {
            get { return _verifier.Keys == null ? 0 : _verifier.Keys.Version; }
        }

        public uint SnapshotVersion
        {
            get { return _snapshot == null ? 0 : _snapshot.Version; }
        }

        /// <summary>Version label of the policy in force, or null before the first policy arrived.</summary>
        public string PolicyVersion
        {
            get { return _policy == null ? null : _policy.VersionLabel; }
        }

        /// <summary>
        /// Decides one scanner line. Returns null when the gate is still busy with the previous
        /// guest, in which case the scan is ignored as a turnstile ignores a second card.
        /// </summary>
        /// <param name="text">Raw scanner output.</param>
        /// <param name="nowUnixMs">Device wall-clock time when the line arrived.</param>
        /// <param name="monotonicTicks">Monotonic time when the line arrived, for the latency.</param>
        public FirmwareDecision OnScanLine(string text, long nowUnixMs, long monotonicTicks)
        {
            byte[] token;
            RejectReason decoded = QrText.TryDecode(text, out token);
            return OnCredential(decoded, token, null, null, nowUnixMs, monotonicTicks);
        }

        private FirmwareDecision OnCredential(
            RejectReason decoded, byte[] token, byte[] chipUid, string detail, long nowUnixMs, long monotonicTicks)
        {
            if (!_gate.TryReserve())
            {
                return null;
            }

            FirmwareDecision decision;
            FirmwareEvent record;
            lock (_sync)
            {
                decision = Decide(decoded, token, chipUid, nowUnixMs, monotonicTicks, out record);
            }

            record.Detail = detail;
            StoreEvent(record, decision);
            SendPendingResync();
            PumpOutbox();
            return decision;
        }

        /// <summary>
        /// Ends relay pulses and passage timeouts, raises door held, publishes a due status and
        /// retries publishing events; call every few milliseconds.
        /// </summary>
        public void Tick()
        {
            _gate.Tick(_clock.MonotonicTicks / TicksPerMillisecond);
            PublishDueStatus();
            PublishDueTelemetry();
            PumpOutbox();
        }

        private FirmwareDecision Decide(
            RejectReason decoded, byte[] token, byte[] chipUid, long nowUnixMs, long monotonicTicks, out FirmwareEvent record)
        {
            long correctedMs = nowUnixMs + _clockOffsetMs;
            uint nowSeconds = correctedMs <= 0 ? 0 : (uint)(correctedMs / 1000);
            FirmwareDecision decision = new FirmwareDecision();
            decision.EntitlementId = -1;
            decision.PolicyVersion = PolicyVersion;

            RejectReason reason = decoded;
            TokenClaims claims = null;
            if (reason == RejectReason.None)
            {
                VerifyResult verified = _verifier.Verify(
                    token, chipUid, nowSeconds, IsClockReliable(), _config.Zone, _snapshot, _seen);
                reason = verified.Reason;
                claims = verified.Claims;
                if (_hubStepHeld && (reason == RejectReason.Expired || reason == RejectReason.NotYetValid))
                {
                    // The hub clock disagrees with ours, so a time verdict would rest on a wrong clock.
                    reason = RejectReason.ClockUnreliable;
                }

                NoteResyncNeed(reason, claims);
            }

            if (claims != null)
            {
                decision.TokenId = Hex.FromUInt64(claims.TokenId);
                decision.EntitlementId = claims.EntitlementId;
            }

            if (reason == RejectReason.None)
            {
                ApplyPolicy(claims, nowSeconds, decision);
            }
            else
            {
                decision.Reason = reason;
            }

            if (decision.Admitted)
            {
                _gate.Open(_clock.MonotonicTicks / TicksPerMillisecond);
            }
            else
            {
                _gate.Release();
            }

            decision.LatencyMicros = (_clock.MonotonicTicks - monotonicTicks) / 10;
            record = BuildDecisionEvent(decision, claims, correctedMs);
            return decision;
        }

        private void ApplyPolicy(TokenClaims claims, uint nowSeconds, FirmwareDecision decision)
        {
            if (_policy == null)
            {
                decision.Reason = RejectReason.PolicyDenied;
                decision.PolicyRule = NoPolicyRule;
                return;
            }

            PolicyInput input = new PolicyInput();
            input.Role = claims.Role;
            input.SpendAllowanceMinor = claims.SpendAllowanceMinor;
            input.OfflineSeconds = OfflineSeconds();
            input.DeviceOfflineAdmits = _deviceOfflineAdmits;
            EntitlementRecord entitlement = _snapshot == null ? null : _snapshot.Find(claims.EntitlementId);
            if (entitlement != null)
            {
                input.EntitlementKnown = true;
                input.Tier = entitlement.Tier;
                input.Payment = entitlement.Payment;
            }

            PolicyDecision result = _policy.Evaluate(input);
            decision.PolicyRule = result.RuleName;
            decision.PolicyInputs = input.ToCaseColumns();
            decision.Reason = result.Reason;
            decision.Admitted = result.IsGrant;
            if (result.IsGrant)
            {
                _verifier.RecordAdmit(claims, nowSeconds, _seen);

                // Stored before the gate opens, so a replay right after a reset is still caught.
                if (_seenJournal != null)
                {
                    _seenJournal.Append(claims.TokenId, claims.ExpiresAtUnixSeconds + (uint)_config.SkewSeconds, nowSeconds);
                }

                if (!_transport.IsConnected)
                {
                    _deviceOfflineAdmits++;
                }
            }
        }

        private FirmwareEvent BuildDecisionEvent(FirmwareDecision decision, TokenClaims claims, long correctedMs)
        {
            FirmwareEvent record = NewEvent(EventKindCodes.Decision, correctedMs);
            record.Outcome = decision.Admitted ? "admit" : "deny";
            record.Reason = RejectReasons.ToCode(decision.Reason);
            record.Mode = "offline";
            record.PolicyVersion = decision.PolicyVersion;
            record.PolicyRule = decision.PolicyRule;
            record.PolicyInputs = decision.PolicyInputs;
            record.LatencyMicros = decision.LatencyMicros;
            if (claims != null)
            {
                record.EntitlementId = claims.EntitlementId;
                record.TokenId = decision.TokenId;
                record.Role = PolicyCodes.RoleToCode(claims.Role);
                record.DelegatorId = claims.DelegatorId == 0 ? -1 : claims.DelegatorId;
                EntitlementRecord entitlement = _snapshot == null ? null : _snapshot.Find(claims.EntitlementId);
                if (entitlement != null)
                {
                    record.HasSingleEntry = true;
                    record.SingleEntry = entitlement.SingleEntry;
                }
            }

            return record;
        }

        private FirmwareEvent NewEvent(string kind, long deviceTimeMs)
        {
            FirmwareEvent record = new FirmwareEvent();
            record.DeviceId = _config.DeviceId;
            record.BootId = _config.BootId;
            record.Kind = kind;
            record.DeviceTimeMs = deviceTimeMs;
            return record;
        }

        /// <summary>Token ids held by the seen-set, including ones loaded from flash at start.</summary>
        public int SeenCount
        {
            get
            {
                lock (_sync)
                {
                    return _seen.Count;
                }
            }
        }

        /// <summary>Admits annulled since start because nobody passed within the passage timeout.</summary>
        public int AnnulledCount
        {
            get { return _gate.AnnulledCount; }
        }

        /// <summary>Passages since start with no open admit: tailgated or forced entries.</summary>
        public int TailgateCount
        {
            get { return _gate.TailgateCount; }
        }

        private void ReloadSeenSet()
        {
            _seen = new SeenSet(_config.SeenSetCapacity);
            if (_seenJournal != null)
            {
                _seenJournal.Mount();
                _seenJournal.LoadInto(_seen);
            }
        }

        private void OnGateCompleted(GateState finalState, long nowMilliseconds)
        {
            if (finalState != GateState.Annulled)
            {
                return;
            }

            FirmwareEvent record = NewEvent(EventKindCodes.Status, _clock.UnixMilliseconds + _clockOffsetMs);
            record.Detail = "admit annulled: nobody passed within the passage timeout";
            StoreEvent(record, null);
        }

        private void RaiseNotice(string code, string detail)
        {
            FirmwareNoticeHandler handler = Notice;
            if (handler != null)
            {
                handler(code, detail);
            }
        }

        private static void RequireNotNull(object value, string name)
        {
            if (value == null)
            {
                throw new System.ArgumentNullException(name);
            }
        }
    }
}
