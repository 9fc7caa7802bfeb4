namespace EdgeIoT.Firmware.Gate
{
    /// <summary>
    /// One turnstile: Idle → Reserved (deciding) → Open (relay pulsed) → Confirmed when the
    /// passage sensor fires, or Annulled when nobody passes within the passage timeout; both
    /// return to Idle. A denied scan goes Reserved → Idle. Time is a monotonic millisecond
    /// count supplied by the caller, and <see cref="Tick"/> must run every few milliseconds
    /// so the relay pulse ends on time. Every method is safe to call from the sensor thread.
    /// The door contact and the fire alarm input raise <see cref="AlarmChanged"/>
    /// (TurnstileStateMachine.Alarms.cs).
    /// </summary>
    public partial class TurnstileStateMachine
    {
        /// <summary>Door-held timeout of the three-argument constructor, as on the edge agent's gate.</summary>
        public const int DefaultDoorHeldMilliseconds = 30000;

        private readonly IGatePins _pins;
        private readonly int _pulseMilliseconds;
        private readonly int _passageTimeoutMilliseconds;
        private readonly int _doorHeldMilliseconds;
        private readonly object _sync = new object();
        private GateState _state;
        private bool _relayOn;
        private long _pulseEndsAt;
        private long _passageDeadline;
        private long _lastNow;
        private int _annulledCount;
        private int _tailgateCount;

        /// <param name="pins">Relay and passage sensor.</param>
        /// <param name="pulseMilliseconds">How long the relay stays energized, 50 to 10,000 ms.</param>
        /// <param name="passageTimeoutMilliseconds">How long an admitted guest has to pass, at least the pulse.</param>
        public TurnstileStateMachine(IGatePins pins, int pulseMilliseconds, int passageTimeoutMilliseconds)
            : this(pins, pulseMilliseconds, passageTimeoutMilliseconds, DefaultDoorHeldMilliseconds)
        {
        }

        /// <param name="pins">Relay, passage sensor, door contact and fire alarm input.</param>
        /// <param name="pulseMilliseconds">How long the relay stays energized, 50 to 10,000 ms.</param>
        /// <param name="passageTimeoutMilliseconds">How long an admitted guest has to pass, at least the pulse.</param>
        /// <param name="doorHeldMilliseconds">How long the door may stay open after an admit, at least 1 ms.</param>
        public TurnstileStateMachine(
            IGatePins pins, int pulseMilliseconds, int passageTimeoutMilliseconds, int doorHeldMilliseconds)
        {
            if (pins == null)
            {
                throw new System.ArgumentNullException(nameof(pins));
            }

            if (pulseMilliseconds < 50 || pulseMilliseconds > 10000)
            {
                throw new System.ArgumentOutOfRangeException(nameof(pulseMilliseconds), "Relay pulse must be 50 to 10000 ms.");
            }

            if (passageTimeoutMilliseconds < pulseMilliseconds)
            {
                throw new System.ArgumentOutOfRangeException(
                    nameof(passageTimeoutMilliseconds), "Passage timeout must be at least the relay pulse.");
            }

            if (doorHeldMilliseconds < 1)
            {
                throw new System.ArgumentOutOfRangeException(nameof(doorHeldMilliseconds), "Door-held timeout must be at least 1 ms.");
            }

            _pins = pins;
            _pulseMilliseconds = pulseMilliseconds;
            _passageTimeoutMilliseconds = passageTimeoutMilliseconds;
            _doorHeldMilliseconds = doorHeldMilliseconds;
            _pins.Passage += OnPassage;
            _pins.DoorContactChanged += OnDoorContactChanged;
            _pins.FireAlarmChanged += OnFireAlarmChanged;
        }

        /// <summary>Raised outside the lock when a passage is confirmed or annulled.</summary>
        public event GateCompletedHandler Completed;

        public GateState State
        {
            get
            {
                lock (_sync)
                {
                    return _state;
                }
            }
        }

        /// <summary>Admits annulled since start because nobody passed within the passage timeout.</summary>
        public int AnnulledCount
        {
            get
            {
                lock (_sync)
                {
                    return _annulledCount;
                }
            }
        }

        /// <summary>Passages since start with no open admit: tailgated or forced entries.</summary>
        public int TailgateCount
        {
            get
            {
                lock (_sync)
                {
                    return _tailgateCount;
                }
            }
        }

        /// <summary>Claims the gate for a scan; returns false while another scan still uses it.</summary>
        public bool TryReserve()
        {
            lock (_sync)
            {
                if (_state != GateState.Idle)
                {
                    return false;
                }

                _state = GateState.Reserved;
                return true;
            }
        }

        /// <summary>Ends a reservation without opening, after a denied scan.</summary>
        public void Release()
        {
            lock (_sync)
            {
                if (_state == GateState.Reserved)
                {
                    _state = GateState.Idle;
                }
            }
        }

        /// <summary>Pulses the relay for an admitted scan; the gate must be reserved.</summary>
        public void Open(long nowMilliseconds)
        {
            lock (_sync)
            {
                if (_state != GateState.Reserved)
                {
                    throw new System.InvalidOperationException("The gate must be reserved before it opens.");
                }

                _state = GateState.Open;
                _lastNow = nowMilliseconds;
                _pulseEndsAt = nowMilliseconds + _pulseMilliseconds;
                _passageDeadline = nowMilliseconds + _passageTimeoutMilliseconds;

                // During a fire release the relay is already energized and stays so.
                if (!_relayOn)
                {
                    SetRelay(true);
                }
            }
        }

        /// <summary>Ends the relay pulse, annuls an admit whose passage timed out, and raises door held.</summary>
        public void Tick(long nowMilliseconds)
        {
            bool annulled = false;
            bool doorHeld;
            lock (_sync)
            {
                _lastNow = nowMilliseconds;
                doorHeld = CheckDoorHeld(nowMilliseconds);
                if (_state == GateState.Open)
                {
                    if (_relayOn && !_fireActive && nowMilliseconds >= _pulseEndsAt)
                    {
                        SetRelay(false);
                    }

                    if (nowMilliseconds >= _passageDeadline)
                    {
                        _state = GateState.Idle;
                        _annulledCount++;
                        annulled = true;
                    }
                }
            }

            if (doorHeld)
            {
                RaiseAlarm(GateAlarm.DoorHeld, false);
            }

            if (annulled)
            {
                RaiseCompleted(GateState.Annulled, nowMilliseconds);
            }
        }

        private void OnPassage()
        {
            long now;
            lock (_sync)
            {
                // A passage with no open admit is a forced or tailgated entry: it is counted but
                // changes no state. During a fire release guests leave freely, so none is counted.
                if (_state != GateState.Open)
                {
                    if (!_fireActive)
                    {
                        _tailgateCount++;
                    }

                    return;
                }

                if (!_fireActive)
                {
                    SetRelay(false);
                }

                _state = GateState.Idle;
                now = _lastNow;
            }

            RaiseCompleted(GateState.Confirmed, now);
        }

        private void SetRelay(bool energized)
        {
            _relayOn = energized;
            _pins.SetRelay(energized);
        }

        private void RaiseCompleted(GateState finalState, long nowMilliseconds)
        {
            GateCompletedHandler handler = Completed;
            if (handler != null)
            {
                handler(finalState, nowMilliseconds);
            }
        }
    }
}
