namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Reset reason codes reported in the device status. The device project maps ESP-IDF's
    /// esp_reset_reason() values to them; the virtual device reports the reason
    /// its host passes to RestartAsync, power_on by default.
    /// </summary>
    public static class ResetReasons
    {
        public const string PowerOn = "power_on";
        public const string Watchdog = "watchdog";
        public const string Brownout = "brownout";
        public const string Panic = "panic";
        public const string Software = "software";
        public const string DeepSleep = "deep_sleep";
        public const string Unknown = "unknown";
    }
}
