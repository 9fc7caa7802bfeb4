using EdgeIoT.Firmware.Messages;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// The periodic telemetry sample (protocol DeviceTelemetry): queue depth, link state, clock
    /// offset and installed versions, published with QoS 0 while the link is up. A sample lost
    /// with the link is not stored, because the next one replaces it.
    /// </summary>
    public partial class TurnstileApp
    {
        private bool _telemetrySent;
        private long _lastTelemetryTicks;
        private int _telemetryPublishes;

        /// <summary>Telemetry samples published since start.</summary>
        public int TelemetryPublishes
        {
            get { return _telemetryPublishes; }
        }

        /// <summary>
        /// Writes the telemetry JSON. Its clock offset is the device clock minus the hub clock
        /// at the last time beacon, as the edge agent reports it, and 0 before the first beacon.
        /// </summary>
        public byte[] BuildTelemetryJson()
        {
            Utf8JsonBuilder json = new Utf8JsonBuilder();
            json.WriteString("deviceId", _config.DeviceId);
            lock (_sync)
            {
                json.WriteNumber("timeMs", _clock.UnixMilliseconds + _clockOffsetMs);
                json.WriteNumber("outboxDepth", _queue.Count);
                json.WriteBoolean("hubConnected", _transport.IsConnected);
                json.WriteNumber("clockOffsetMs", -_clockOffsetMs);
                json.WriteNumber("keyListVersion", KeyListVersion);
                json.WriteNumber("snapshotVersion", SnapshotVersion);
            }

            return json.ToArray();
        }

        private void PublishDueTelemetry()
        {
            if (_config.TelemetryIntervalMilliseconds == 0 || !_transport.IsConnected)
            {
                return;
            }

            lock (_sync)
            {
                long now = _clock.MonotonicTicks;
                long intervalTicks = _config.TelemetryIntervalMilliseconds * TicksPerMillisecond;
                if (_telemetrySent && now - _lastTelemetryTicks < intervalTicks)
                {
                    return;
                }

                _telemetrySent = true;
                _lastTelemetryTicks = now;
                _telemetryPublishes++;
            }

            _transport.Publish(
                FirmwareTopics.Telemetry(_config.Venue, _config.DeviceId), BuildTelemetryJson(), false, OnTelemetryPublished);
        }

        private void OnTelemetryPublished(bool acknowledged)
        {
            // QoS 0 has nothing to retry, because the next sample replaces this one.
        }
    }
}
