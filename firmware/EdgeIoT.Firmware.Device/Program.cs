using System.Device.Gpio;
using System.Device.Wifi;
using System.Threading;
using EdgeIoT.Firmware.App;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Entry point of the ESP32 turnstile image: joins Wi-Fi, wires the firmware core to GPIO,
    /// the scanner UART, the flash partition and M2Mqtt, then runs the gate tick. After any
    /// reset the TurnstileApp constructor re-mounts the event queue from flash.
    /// </summary>
    public static class Program
    {
        private const int TickMilliseconds = 10;

        public static void Main()
        {
            // Scanner UART on GPIO 16 (RX) and 17 (TX), the usual UART2 pins of ESP32 boards.
            Configuration.SetPinFunction(16, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(17, DeviceFunction.COM2_TX);
            ConnectWifi();

            EspDeviceClock clock = new EspDeviceClock();
            M2MqttTransport transport = new M2MqttTransport();
            TurnstileConfig config = new TurnstileConfig();
            config.DeviceId = DeviceProvisioning.DeviceId;
            config.Venue = DeviceProvisioning.Venue;
            config.EventId = DeviceProvisioning.EventId;
            config.Zone = DeviceProvisioning.Zone;
            config.RootPublicKey = System.Convert.FromBase64String(DeviceProvisioning.RootPublicKeyBase64);
            config.BootId = System.Guid.NewGuid().ToString().Substring(0, 12);

            TurnstileApp app = new TurnstileApp(
                config,
                new NativeEd25519Verifier(),
                new NativeFlashPartition(),
                new EspGatePins(new GpioController(), DeviceProvisioning.RelayPin, DeviceProvisioning.PassageSensorPin),
                transport,
                clock);
            transport.Start(app);
            new SerialScanner(DeviceProvisioning.ScannerPort, DeviceProvisioning.ScannerBaudRate, app, clock).Start();

            // NOTE: the ESP-IDF task watchdog is not armed for this loop yet. A hung tick
            // therefore recovers only through a power cycle.
            while (true)
            {
                app.Tick();
                Thread.Sleep(TickMilliseconds);
            }
        }

        private static void ConnectWifi()
        {
            // requiresDateTime waits for SNTP, but the gate trusts only hub time beacons for
            // token times, so a failure here is not fatal: the device starts and keeps trying.
            CancellationTokenSource timeout = new CancellationTokenSource(60000);
            WifiNetworkHelper.ConnectDhcp(DeviceProvisioning.WifiSsid, DeviceProvisioning.WifiPassword, requiresDateTime: false, token: timeout.Token);
        }
    }
}
