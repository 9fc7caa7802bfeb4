using System.Device.Gpio;
using System.IO;
using System.Threading;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Provisioning;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Entry point of the ESP32 turnstile image: reads the enrollment bundle, joins Wi-Fi,
    /// wires the firmware core to GPIO, the scanner UART, the flash partitions and M2Mqtt,
    /// then runs the gate tick. After any reset the TurnstileApp constructor re-mounts the
    /// event queue and the seen-set from flash, and the status reports the reset reason.
    /// </summary>
    public static class Program
    {
        private const int TickMilliseconds = 10;

        public static void Main()
        {
            // Scanner UART on GPIO 16 (RX) and 17 (TX), the usual UART2 pins of ESP32 boards.
            Configuration.SetPinFunction(16, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(17, DeviceFunction.COM2_TX);
            DeviceBundle bundle = ReadBundle();
            ConnectWifi(bundle);

            EspDeviceClock clock = new EspDeviceClock();
            M2MqttTransport transport = new M2MqttTransport(bundle);
            TurnstileConfig config = bundle.ToTurnstileConfig();
            config.BootId = System.Guid.NewGuid().ToString().Substring(0, 12);
            config.ResetReason = NativeResetReason.Read();

            TurnstileApp app = new TurnstileApp(
                config,
                new NativeEd25519Verifier(),
                new NativeFlashPartition(NativeFlashPartition.QueueLabel),
                new NativeFlashPartition(NativeFlashPartition.SeenSetLabel),
                new EspGatePins(
                    new GpioController(), DeviceProvisioning.RelayPin, DeviceProvisioning.PassageSensorPin,
                    DeviceProvisioning.DoorContactPin, DeviceProvisioning.FireAlarmPin),
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

        private static DeviceBundle ReadBundle()
        {
            if (!File.Exists(DeviceProvisioning.BundlePath))
            {
                throw new System.InvalidOperationException(
                    "Bundle " + DeviceProvisioning.BundlePath + " is missing; deploy it with 'edgeiot-technician deploy'.");
            }

            string error;
            DeviceBundle bundle = DeviceBundle.TryParse(File.ReadAllBytes(DeviceProvisioning.BundlePath), out error);
            if (bundle == null)
            {
                throw new System.InvalidOperationException("Bundle " + DeviceProvisioning.BundlePath + " is invalid: " + error);
            }

            return bundle;
        }

        private static void ConnectWifi(DeviceBundle bundle)
        {
            // requiresDateTime waits for SNTP, but the gate trusts only hub time beacons for
            // token times, so a failure here is not fatal: the device starts and keeps trying.
            CancellationTokenSource timeout = new CancellationTokenSource(60000);
            WifiNetworkHelper.ConnectDhcp(bundle.WifiSsid, bundle.WifiPassword, requiresDateTime: false, token: timeout.Token);
        }
    }
}
