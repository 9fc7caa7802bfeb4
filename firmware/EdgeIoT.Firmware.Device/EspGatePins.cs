using System.Device.Gpio;
using EdgeIoT.Firmware.Gate;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Relay output, passage sensor, door contact and fire alarm input on the ESP32's GPIO. A
    /// negative door contact or fire alarm pin means the lane has no such input.
    /// </summary>
    public class EspGatePins : IGatePins
    {
        private readonly GpioPin _relay;
        private readonly GpioPin _sensor;
        private readonly GpioPin _door;
        private readonly GpioPin _fire;

        public EspGatePins(GpioController gpio, int relayPin, int sensorPin, int doorPin, int firePin)
        {
            _relay = gpio.OpenPin(relayPin, PinMode.Output);
            _relay.Write(PinValue.Low);
            _sensor = gpio.OpenPin(sensorPin, PinMode.InputPullUp);

            // The sensor pulls the line low while a person breaks the beam; 20 ms of debounce
            // ignores contact bounce of mechanical arm switches.
            _sensor.DebounceTimeout = new System.TimeSpan(0, 0, 0, 0, 20);
            _sensor.ValueChanged += OnSensorChanged;

            // Both contacts short the line to ground at rest, so the pull-up reads high when the
            // door opens or the panel opens its contact, and a cut wire reads as active too.
            if (doorPin >= 0)
            {
                _door = OpenContact(gpio, doorPin);
                _door.ValueChanged += OnDoorChanged;
            }

            if (firePin >= 0)
            {
                _fire = OpenContact(gpio, firePin);
                _fire.ValueChanged += OnFireChanged;
            }
        }

        public event PassageHandler Passage;

        public event GateInputHandler DoorContactChanged;

        public event GateInputHandler FireAlarmChanged;

        public bool FireAlarmActive
        {
            get { return _fire != null && _fire.Read() == PinValue.High; }
        }

        public void SetRelay(bool energized)
        {
            _relay.Write(energized ? PinValue.High : PinValue.Low);
        }

        private static GpioPin OpenContact(GpioController gpio, int pin)
        {
            GpioPin contact = gpio.OpenPin(pin, PinMode.InputPullUp);
            contact.DebounceTimeout = new System.TimeSpan(0, 0, 0, 0, 50);
            return contact;
        }

        private void OnSensorChanged(object sender, PinValueChangedEventArgs e)
        {
            PassageHandler handler = Passage;
            if (e.ChangeType == PinEventTypes.Rising && handler != null)
            {
                handler();
            }
        }

        private void OnDoorChanged(object sender, PinValueChangedEventArgs e)
        {
            GateInputHandler handler = DoorContactChanged;
            if (handler != null)
            {
                handler(e.ChangeType == PinEventTypes.Rising);
            }
        }

        private void OnFireChanged(object sender, PinValueChangedEventArgs e)
        {
            GateInputHandler handler = FireAlarmChanged;
            if (handler != null)
            {
                handler(e.ChangeType == PinEventTypes.Rising);
            }
        }
    }
}
