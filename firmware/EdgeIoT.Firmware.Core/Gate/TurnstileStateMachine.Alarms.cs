namespace EdgeIoT.Firmware.Gate
{
    /// <summary>
    /// Door contact and fire alarm input. The door opening with no admit pending is door
    /// forced; the door still open <c>doorHeldMilliseconds</c> after it opened for an admit is
    /// door held; the door closing ends either. An active fire alarm input energizes the relay
    /// until it returns to rest, so the lane is free for evacuation, and an open door is then expected.
    /// </summary>
    public partial class TurnstileStateMachine
    {
        private bool _doorOpen;
        private bool _doorHeldArmed;
        private long _doorOpenedAt;
        private bool _doorAlarmActive;
        private GateAlarm _doorAlarm;
        private bool _fireActive;

        /// <summary>Raised outside the lock when a door or fire alarm begins or ends.</summary>
        public event GateAlarmHandler AlarmChanged;

        /// <summary>True while the fire alarm input keeps the relay energized.</summary>
        public bool FireReleaseActive
        {
            get
            {
                lock (_sync)
                {
                    return _fireActive;
                }
            }
        }

        /// <summary>
        /// Applies the fire alarm input's level at start, so an alarm that is already active
        /// releases the lane at once. Call it after subscribing to <see cref="AlarmChanged"/>.
        /// </summary>
        public void ReadFireAlarmInput()
        {
            OnFireAlarmChanged(_pins.FireAlarmActive);
        }

        private void OnDoorContactChanged(bool open)
        {
            bool forced = false;
            bool closedAlarm = false;
            GateAlarm ended = GateAlarm.DoorForced;
            lock (_sync)
            {
                if (open == _doorOpen)
                {
                    return;
                }

                _doorOpen = open;
                _doorHeldArmed = false;
                if (!open)
                {
                    closedAlarm = _doorAlarmActive;
                    ended = _doorAlarm;
                    _doorAlarmActive = false;
                }
                else if (_fireActive)
                {
                    // The fire release holds the lane open, so an open door is expected.
                }
                else if (_state == GateState.Open)
                {
                    _doorHeldArmed = true;
                    _doorOpenedAt = _lastNow;
                }
                else
                {
                    forced = true;
                    _doorAlarmActive = true;
                    _doorAlarm = GateAlarm.DoorForced;
                }
            }

            if (forced)
            {
                RaiseAlarm(GateAlarm.DoorForced, false);
            }

            if (closedAlarm)
            {
                RaiseAlarm(ended, true);
            }
        }

        /// <summary>Returns true once when the door has been open for an admit past the door-held timeout. Call it under the lock.</summary>
        private bool CheckDoorHeld(long nowMilliseconds)
        {
            if (!_doorHeldArmed || _fireActive || nowMilliseconds - _doorOpenedAt < _doorHeldMilliseconds)
            {
                return false;
            }

            _doorHeldArmed = false;
            _doorAlarmActive = true;
            _doorAlarm = GateAlarm.DoorHeld;
            return true;
        }

        private void OnFireAlarmChanged(bool active)
        {
            lock (_sync)
            {
                if (active == _fireActive)
                {
                    return;
                }

                _fireActive = active;
                _doorHeldArmed = false;

                // When the alarm ends during an admit's pulse, the relay keeps that pulse.
                bool pulsing = _state == GateState.Open && _lastNow < _pulseEndsAt;
                SetRelay(active || pulsing);
            }

            RaiseAlarm(GateAlarm.FireRelease, !active);
        }

        private void RaiseAlarm(GateAlarm alarm, bool cleared)
        {
            GateAlarmHandler handler = AlarmChanged;
            if (handler != null)
            {
                handler(alarm, cleared);
            }
        }
    }
}
