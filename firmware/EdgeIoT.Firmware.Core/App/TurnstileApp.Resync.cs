using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Messages;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Key-list resync: a scan rejected as unknown_kid or delegation_unknown requests the key
    /// list and the delegation list from the hub, at most once per
    /// <see cref="TurnstileConfig.KeyResyncIntervalMilliseconds"/>. The scan itself stays
    /// rejected, and the next one is checked against what arrived.
    /// </summary>
    public partial class TurnstileApp
    {
        private readonly KeyResyncThrottle _resyncThrottle;
        private RejectReason _pendingResyncReason;
        private string _pendingResyncKid;
        private int _resyncRequestsSent;

        /// <summary>Resync requests handed to the transport since start.</summary>
        public int ResyncRequestsSent
        {
            get { return _resyncRequestsSent; }
        }

        /// <summary>Delegation certificates the verifier holds, from lists and from credentials.</summary>
        public int DelegationCount
        {
            get { return _verifier.Delegations.Count; }
        }

        /// <summary>True when passes can be checked offline because a rotating-code key is installed.</summary>
        public bool HasRotatingCodeKey
        {
            get { return _verifier.HasRotatingCodeKey; }
        }

        // Called under _sync from Decide; the request itself goes out after the lock is released.
        private void NoteResyncNeed(RejectReason reason, TokenClaims claims)
        {
            if (!KeyResyncThrottle.IsResyncReason(reason))
            {
                return;
            }

            _pendingResyncReason = reason;
            _pendingResyncKid = claims == null ? null : Hex.FromUInt64(claims.KeyId);
        }

        private void SendPendingResync()
        {
            RejectReason reason;
            string kid;
            lock (_sync)
            {
                reason = _pendingResyncReason;
                kid = _pendingResyncKid;
                _pendingResyncReason = RejectReason.None;
                _pendingResyncKid = null;
            }

            // Offline, the request could not be sent, so the next rejected scan after a reconnect sends it.
            if (reason == RejectReason.None || !_transport.IsConnected
                || !_resyncThrottle.TryAcquire(_clock.MonotonicTicks / TicksPerMillisecond))
            {
                return;
            }

            Utf8JsonBuilder json = new Utf8JsonBuilder();
            json.WriteString("deviceId", _config.DeviceId);
            json.WriteString("reason", RejectReasons.ToCode(reason));
            json.WriteNumber("keyListVersion", KeyListVersion);
            json.WriteString("kid", kid);
            System.Threading.Interlocked.Increment(ref _resyncRequestsSent);
            _transport.Publish(
                FirmwareTopics.KeyResyncRequest(_config.Venue, _config.DeviceId), json.ToArray(), false, OnResyncPublished);
        }

        private void OnResyncPublished(bool acknowledged)
        {
            // QoS 0 has nothing to retry, because the next rejected scan after the interval sends a new request.
        }

        private bool ApplyDelegations(byte[] payload)
        {
            string error;
            int installed;
            lock (_sync)
            {
                installed = _verifier.InstallDelegations(payload, out error);
            }

            if (error != null)
            {
                RaiseNotice("delegations_rejected", error);
            }

            return installed >= 0;
        }
    }
}
