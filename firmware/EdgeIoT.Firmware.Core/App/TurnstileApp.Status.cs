using EdgeIoT.Firmware.Messages;

namespace EdgeIoT.Firmware.App
{
    /// <summary>The device status message (protocol DeviceStatus) the transport publishes retained.</summary>
    public partial class TurnstileApp
    {
        public const string StateOnline = "online";
        public const string StateOffline = "offline";

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
    }
}
