using EdgeIoT.Firmware.Messages;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// The device status message (protocol DeviceStatus), published retained. The transport
    /// publishes it at connect and as last will. The app publishes it again after a key list or
    /// snapshot install and when a hub clock step hold starts or ends, so the hub receives the new
    /// versions and clock state without waiting for a reconnect.
    /// </summary>
    public partial class TurnstileApp
    {
        public const string StateOnline = "online";
        public const string StateOffline = "offline";

        private bool _statusDue;
        private bool _statusSent;
        private long _lastStatusTicks;
        private int _statusPublishes;

        /// <summary>Status messages the app published on its own since start, after installs and clock step changes.</summary>
        public int StatusPublishes
        {
            get { return _statusPublishes; }
        }

        /// <summary>
        /// Writes the status JSON for <paramref name="state"/> ("online", or "offline" for the
        /// last will) with boot id, reset reason, installed versions and queue depth, so the
        /// hub and a technician can see that the device restarted and why.
        /// </summary>
        public byte[] BuildStatusJson(string state)
        {
            if (state == null)
            {
                throw new System.ArgumentNullException(nameof(state));
            }

            Utf8JsonBuilder json = new Utf8JsonBuilder();
            json.WriteString("deviceId", _config.DeviceId);
            json.WriteString("deviceClass", FirmwareEvent.DeviceClassFirmware);
            json.WriteString("state", state);
            lock (_sync)
            {
                json.WriteNumber("timeMs", _clock.UnixMilliseconds + _clockOffsetMs);
                json.WriteString("bootId", _config.BootId);
                json.WriteString("resetReason", _config.ResetReason);
                json.WriteNumber("keyListVersion", KeyListVersion);
                json.WriteNumber("snapshotVersion", SnapshotVersion);
                json.WriteNumber("queueDepth", _queue.Count);
                json.WriteBoolean("clockSynchronized", IsClockReliable());
                json.WriteString("clockState", ClockStateLocked());
            }

            return json.ToArray();
        }

        /// <summary>
        /// Publishes the online status when one is due, the link is up and
        /// <see cref="TurnstileConfig.MinStatusIntervalMilliseconds"/> has passed since the last
        /// one. A change during the interval stays due, so Tick publishes it when the interval ends.
        /// </summary>
        private void PublishDueStatus()
        {
            lock (_sync)
            {
                if (!_statusDue || !_transport.IsConnected)
                {
                    return;
                }

                long now = _clock.MonotonicTicks;
                long intervalTicks = _config.MinStatusIntervalMilliseconds * TicksPerMillisecond;
                if (_statusSent && now - _lastStatusTicks < intervalTicks)
                {
                    return;
                }

                _statusDue = false;
                _statusSent = true;
                _lastStatusTicks = now;
                _statusPublishes++;
            }

            _transport.PublishStatus(BuildStatusJson(StateOnline));
        }
    }
}
