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
        private long _clockOffsetMs;
        private long _lastBeaconHubTimeMs;
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
            }

            if (!installed)
            {
                RaiseNotice("keys_rejected", "key list version " + keys.Version.ToString() + " for event "
                    + keys.EventId.ToString() + " is not newer than the installed one or is for another event");
            }

            return installed;
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

            lock (_sync)
            {
                if (snapshot.EventId == _config.EventId && (_snapshot == null || snapshot.Version > _snapshot.Version))
                {
                    _snapshot = snapshot;
                    return true;
                }
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

            string signatureError = TimeBeaconSignature.Check(
                _signatureVerifier, _verifier.Keys, _config.EventId, hubTime.IntegerValue,
                TextOf(root.Get("kid")), TextOf(root.Get("signature")));
            if (signatureError != null)
            {
                RaiseNotice("time_rejected", signatureError);
                return false;
            }

            lock (_sync)
            {
                // A replayed older beacon would set the clock back, so hub time must only move forward.
                if (hubTime.IntegerValue <= _lastBeaconHubTimeMs)
                {
                    RaiseNotice("time_rejected", "time beacon is not newer than the last one");
                    return false;
                }

                _lastBeaconHubTimeMs = hubTime.IntegerValue;
                _clockOffsetMs = hubTime.IntegerValue - _clock.UnixMilliseconds;
                _lastBeaconTicks = _clock.MonotonicTicks;
                _beaconSeen = true;
            }

            return true;
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

            // NOTE: until a reset, a hub clock set backwards is ignored until it passes the last beacon time.
            _lastBeaconHubTimeMs = 0;
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
