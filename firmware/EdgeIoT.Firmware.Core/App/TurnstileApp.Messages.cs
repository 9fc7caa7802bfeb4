using EdgeIoT.Firmware.Json;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Retained hub messages (key list, delegation list, snapshot, policy), the responses to a
    /// resync request, and time beacons.
    /// </summary>
    public partial class TurnstileApp
    {
        public const string ClockStateSynchronized = "synchronized";
        public const string ClockStateUnreliable = "unreliable";
        public const string ClockStateHubStep = "hub_step";

        private long _clockOffsetMs;
        private uint _lastBeaconEpoch;
        private long _lastBeaconHubTimeMs;
        private long _anchorHubTimeMs;
        private bool _hubStepHeld;
        private long _hubStepSinceTicks;
        private bool _beaconSeen;
        private long _lastBeaconTicks;
        private long _lastHubContactTicks;

        /// <summary>Hub clock minus device clock, in milliseconds, from the last time beacon.</summary>
        public long ClockOffsetMs
        {
            get { return _clockOffsetMs; }
        }

        /// <summary>True while time-based decisions are possible: a beacon arrived and is recent enough.</summary>
        public bool ClockSynchronized
        {
            get
            {
                lock (_sync)
                {
                    return IsClockReliable();
                }
            }
        }

        /// <summary>
        /// State of the clock for status: <see cref="ClockStateSynchronized"/>, <see cref="ClockStateHubStep"/>
        /// while a hub clock step is held, or <see cref="ClockStateUnreliable"/> without a recent beacon.
        /// </summary>
        public string ClockState
        {
            get
            {
                lock (_sync)
                {
                    return ClockStateLocked();
                }
            }
        }

        /// <summary>
        /// Handles one message from the hub. Returns true when it was applied, false when it
        /// was rejected (the reason goes to <see cref="Notice"/>) or the topic is not one of ours.
        /// </summary>
        public bool OnMessage(string topic, byte[] payload)
        {
            if (topic == null || payload == null)
            {
                return false;
            }

            lock (_sync)
            {
                _lastHubContactTicks = _clock.MonotonicTicks;
            }

            if (topic == FirmwareTopics.Keys(_config.Venue) || topic == FirmwareTopics.DeviceKeys(_config.Venue, _config.DeviceId))
            {
                return ApplyKeys(payload);
            }

            if (topic == FirmwareTopics.Delegations(_config.Venue)
                || topic == FirmwareTopics.DeviceDelegations(_config.Venue, _config.DeviceId))
            {
                return ApplyDelegations(payload);
            }

            if (topic == FirmwareTopics.Snapshot(_config.Venue))
            {
                return ApplySnapshot(payload);
            }

            if (topic == FirmwareTopics.Policy(_config.Venue))
            {
                return ApplyPolicy(payload);
            }

            return topic == FirmwareTopics.Time(_config.Venue) && ApplyTimeBeacon(payload);
        }

        /// <summary>Marks the hub reachable now; hosts call it when the MQTT connection comes up.</summary>
        public void OnHubContact()
        {
            lock (_sync)
            {
                _lastHubContactTicks = _clock.MonotonicTicks;
            }

            PumpOutbox();
        }

        private bool ApplyKeys(byte[] payload)
        {
            string error;
            KeyList keys = KeyList.TryParseSigned(payload, _config.RootPublicKey, _signatureVerifier, out error);
            if (keys == null)
            {
                RaiseNotice("keys_rejected", error);
                return false;
            }

            bool installed;
            lock (_sync)
            {
                installed = _verifier.TryInstallKeys(keys);
                _statusDue |= installed;
            }

            if (!installed)
            {
                RaiseNotice("keys_rejected", "key list version " + keys.Version.ToString() + " for event "
                    + keys.EventId.ToString() + " is not newer than the installed one or is for another event");
                return false;
            }

            PublishDueStatus();
            return true;
        }

        private bool ApplySnapshot(byte[] payload)
        {
            string error;
            EntitlementSnapshot snapshot = EntitlementSnapshot.TryParse(payload, out error);
            if (snapshot == null)
            {
                RaiseNotice("snapshot_rejected", error);
                return false;
            }

            bool installed = false;
            lock (_sync)
            {
                if (snapshot.EventId == _config.EventId && (_snapshot == null || snapshot.Version > _snapshot.Version))
                {
                    _snapshot = snapshot;
                    _statusDue = true;
                    installed = true;
                }
            }

            if (installed)
            {
                PublishDueStatus();
                return true;
            }

            RaiseNotice("snapshot_rejected", "snapshot version " + snapshot.Version.ToString()
                + " is for another event or not newer than the installed one");
            return false;
        }

        private bool ApplyPolicy(byte[] payload)
        {
            string error;
            OfflinePolicy policy = OfflinePolicy.TryParse(payload, out error);
            if (policy == null)
            {
                RaiseNotice("policy_rejected", error);
                return false;
            }

            lock (_sync)
            {
                if (_policy == null || policy.PolicyId != _policy.PolicyId || policy.Version >= _policy.Version)
                {
                    _policy = policy;
                    return true;
                }
            }

            RaiseNotice("policy_rejected", "policy " + policy.VersionLabel + " is older than the installed one");
            return false;
        }

        private bool ApplyTimeBeacon(byte[] payload)
        {
            string error;
            JsonValue root = JsonReader.TryParse(payload, out error);
            JsonValue hubTime = root == null ? null : root.Get("hubTimeMs");
            if (hubTime == null || hubTime.Kind != JsonKind.Integer || hubTime.IntegerValue <= 0)
            {
                RaiseNotice("time_rejected", error != null ? error : "time beacon has no positive integer hubTimeMs");
                return false;
            }

            JsonValue epoch = root.Get("epoch");
            if (epoch == null || epoch.Kind != JsonKind.Integer || epoch.IntegerValue < 0 || epoch.IntegerValue > uint.MaxValue)
            {
                RaiseNotice("time_rejected", "time beacon has no integer epoch from 0 to 4294967295");
                return false;
            }

            string signatureError = TimeBeaconSignature.Check(
                _signatureVerifier, _verifier.Keys, _config.EventId, (uint)epoch.IntegerValue, hubTime.IntegerValue,
                TextOf(root.Get("kid")), TextOf(root.Get("signature")));
            if (signatureError != null)
            {
                RaiseNotice("time_rejected", signatureError);
                return false;
            }

            bool applied;
            lock (_sync)
            {
                applied = ApplyVerifiedBeacon((uint)epoch.IntegerValue, hubTime.IntegerValue);
            }

            PublishDueStatus();
            return applied;
        }

        private bool ApplyVerifiedBeacon(uint epoch, long hubTimeMs)
        {
            // A replayed older beacon would set the clock back, so within one epoch hub time only
            // moves forward. The hub raises the epoch when its own clock goes back.
            if (epoch < _lastBeaconEpoch || (epoch == _lastBeaconEpoch && hubTimeMs <= _lastBeaconHubTimeMs))
            {
                RaiseNotice("time_rejected", "time beacon (epoch " + epoch.ToString() + ", hubTimeMs "
                    + hubTimeMs.ToString() + ") is not newer than the last one (epoch " + _lastBeaconEpoch.ToString()
                    + ", hubTimeMs " + _lastBeaconHubTimeMs.ToString() + ")");
                return false;
            }

            _lastBeaconEpoch = epoch;
            _lastBeaconHubTimeMs = hubTimeMs;
            long nowTicks = _clock.MonotonicTicks;
            if (_beaconSeen && IsHubStepHeld(hubTimeMs, nowTicks))
            {
                return false;
            }

            _clockOffsetMs = hubTimeMs - _clock.UnixMilliseconds;
            _anchorHubTimeMs = hubTimeMs;
            _lastBeaconTicks = nowTicks;
            _beaconSeen = true;
            return true;
        }

        /// <summary>
        /// Compares a beacon with the hub time the last applied beacon predicts. Returns true
        /// while a step beyond the limit is held, so time checks keep the device's time and
        /// tokens issued before the step keep their verdicts.
        /// </summary>
        // NOTE: a higher beacon epoch does not skip the hold. The hub raises it when it adopts a
        // wall clock step it held for 320 s, and tokens it issued during that hold carry the
        // held time, so applying the jump at once would deny them as expired or not_yet_valid.
        private bool IsHubStepHeld(long hubTimeMs, long nowTicks)
        {
            long predictedMs = _anchorHubTimeMs + ((nowTicks - _lastBeaconTicks) / TicksPerMillisecond);
            long stepMs = hubTimeMs - predictedMs;
            bool beyondLimit = stepMs > _config.ClockStepLimitMilliseconds || -stepMs > _config.ClockStepLimitMilliseconds;
            if (!beyondLimit)
            {
                if (_hubStepHeld)
                {
                    _hubStepHeld = false;
                    _statusDue = true;
                    RaiseNotice("clock_step_ended", "hub time agrees with the device time again");
                }

                return false;
            }

            if (!_hubStepHeld)
            {
                _hubStepHeld = true;
                _hubStepSinceTicks = nowTicks;
                _statusDue = true;
                RaiseNotice("clock_step", "hub clock stepped " + stepMs.ToString()
                    + " ms; time checks keep the device time for up to "
                    + _config.ClockStepHoldMilliseconds.ToString() + " ms");
            }

            long heldMs = (nowTicks - _hubStepSinceTicks) / TicksPerMillisecond;
            if (heldMs < _config.ClockStepHoldMilliseconds)
            {
                return true;
            }

            _hubStepHeld = false;
            _statusDue = true;
            RaiseNotice("clock_step_adopted", "hub clock step of " + stepMs.ToString() + " ms adopted after "
                + heldMs.ToString() + " ms");
            return false;
        }

        private static string TextOf(JsonValue value)
        {
            return value != null && value.Kind == JsonKind.String ? value.StringValue : null;
        }

        /// <summary>Drops the hub time, as a reset does, so time-based checks wait for the next beacon.</summary>
        private void ForgetClock()
        {
            _beaconSeen = false;
            _clockOffsetMs = 0;
            _hubStepHeld = false;
            _lastBeaconEpoch = 0;
            _lastBeaconHubTimeMs = 0;
        }

        private string ClockStateLocked()
        {
            if (!IsClockReliable())
            {
                return ClockStateUnreliable;
            }

            return _hubStepHeld ? ClockStateHubStep : ClockStateSynchronized;
        }

        private bool IsClockReliable()
        {
            long ageMs = (_clock.MonotonicTicks - _lastBeaconTicks) / TicksPerMillisecond;
            return _beaconSeen && ageMs <= _config.MaxBeaconAgeMilliseconds;
        }

        private uint OfflineSeconds()
        {
            if (_transport.IsConnected)
            {
                return 0;
            }

            long seconds = (_clock.MonotonicTicks - _lastHubContactTicks) / (TicksPerMillisecond * 1000);
            return seconds > uint.MaxValue ? uint.MaxValue : (uint)seconds;
        }
    }
}
