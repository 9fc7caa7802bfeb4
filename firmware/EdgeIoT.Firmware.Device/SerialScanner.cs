using System.IO.Ports;
using System.Threading;
using EdgeIoT.Firmware.App;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>The QR scanner on a UART: one scan per line, terminated by CR or LF.</summary>
    public class SerialScanner
    {
        private readonly SerialPort _port;
        private readonly TurnstileApp _app;
        private readonly IDeviceClock _clock;

        public SerialScanner(string portName, int baudRate, TurnstileApp app, IDeviceClock clock)
        {
            _port = new SerialPort(portName, baudRate);
            _port.NewLine = "\r";
            _port.ReadTimeout = Timeout.Infinite;
            _app = app;
            _clock = clock;
        }

        public void Start()
        {
            _port.Open();
            new Thread(ReadLoop).Start();
        }

        private void ReadLoop()
        {
            while (true)
            {
                string line = _port.ReadLine();
                long arrivedTicks = _clock.MonotonicTicks;
                if (line.Length > 0)
                {
                    _app.OnScanLine(line, _clock.UnixMilliseconds, arrivedTicks);
                }
            }
        }
    }
}
