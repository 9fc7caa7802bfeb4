using System.Runtime.CompilerServices;
using EdgeIoT.Firmware.App;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>Why the ESP32 last started, from ESP-IDF's esp_reset_reason(), as a status code.</summary>
    public static class NativeResetReason
    {
        /// <summary>Returns one of <see cref="ResetReasons"/>.</summary>
        public static string Read()
        {
            // esp_reset_reason_t values of ESP-IDF 4.4 and 5.x (esp_system.h).
            switch (NativeGetResetReason())
            {
                case 1: return ResetReasons.PowerOn;
                case 3: return ResetReasons.Software;
                case 4: return ResetReasons.Panic;
                case 5:
                case 6:
                case 7: return ResetReasons.Watchdog;
                case 8: return ResetReasons.DeepSleep;
                case 9: return ResetReasons.Brownout;
                default: return ResetReasons.Unknown;
            }
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeGetResetReason();
    }
}
