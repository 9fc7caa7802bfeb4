using System.Device.Gpio;
using EdgeIoT.Firmware.Gate;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>Relay output and passage sensor input on the ESP32's GPIO.</summary>
    public class EspGatePins : IGatePins
    {
        private readonly GpioPin _relay;
        private readonly GpioPin _sensor;

        public EspGatePins(GpioController gpio, int relayPin, int sensorPin)
        {
            _relay = gpio.OpenPin(relayPin, PinMode.Output);
            _relay.Write(PinValue.Low);
            _sensor = gpio.OpenPin(sensorPin, PinMode.InputPullUp);

            // The sensor pulls the line low while a person breaks the beam; 20 ms of debounce
            // ignores contact bounce of mechanical arm switches.
            _sensor.DebounceTimeout = new System.TimeSpan(0, 0, 0, 0, 20);
            _sensor.ValueChanged += OnSensorChanged;
        }

        public event PassageHandler Passage;

        public void SetRelay(bool energized)
        {
            _relay.Write(energized ? PinValue.High : PinValue.Low);
        }

        private void OnSensorChanged(object sender, PinValueChangedEventArgs e)
        {
            PassageHandler handler = Passage;
            if (e.ChangeType == PinEventTypes.Rising && handler != null)
            {
                handler();
            }
        }
    }
}
