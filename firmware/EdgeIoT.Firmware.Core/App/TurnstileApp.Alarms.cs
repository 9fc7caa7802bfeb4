using EdgeIoT.Firmware.Gate;
using EdgeIoT.Firmware.Messages;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Gate alarms and the full queue as <c>status</c> events whose detail starts with the words
    /// in <see cref="FirmwareStatusDetails"/>. They go through the flash queue like every
    /// event, so an alarm raised during an outage reaches the hub when the link returns.
    /// </summary>
    public partial class TurnstileApp
    {
        private bool _outboxFullStored;

        /// <summary>True while the fire alarm input keeps the lane open.</summary>
        public bool FireReleaseActive
        {
            get { return _gate.FireReleaseActive; }
        }

        /// <summary>Returns the status detail for a gate alarm that began or, with <paramref name="cleared"/>, ended.</summary>
        public static string DetailOf(GateAlarm alarm, bool cleared, int doorHeldMilliseconds)
        {
            if (alarm == GateAlarm.FireRelease)
            {
                return cleared
                    ? FirmwareStatusDetails.FireCleared + ": fire alarm input at rest, lane back in service"
                    : FirmwareStatusDetails.FireRelease + ": fire alarm input active, relay held energized, lane open";
            }

            string name = alarm == GateAlarm.DoorHeld ? FirmwareStatusDetails.DoorHeld : FirmwareStatusDetails.DoorForced;
            if (cleared)
            {
                return FirmwareStatusDetails.DoorClosed + ": the " + name + " alarm ended";
            }

            return alarm == GateAlarm.DoorHeld
                ? name + ": the door stayed open more than " + doorHeldMilliseconds.ToString() + " ms after an admit"
                : name + ": the door opened with no admit pending";
        }

        private void OnGateAlarm(GateAlarm alarm, bool cleared)
        {
            string detail = DetailOf(alarm, cleared, _config.DoorHeldMilliseconds);
            FirmwareEvent record = NewEvent(EventKindCodes.Status, _clock.UnixMilliseconds + _clockOffsetMs);
            record.Detail = detail;
            RaiseNotice(cleared ? "alarm_cleared" : "alarm_raised", detail);
            StoreEvent(record, null);
        }

        /// <summary>
        /// Stores one <c>outbox full</c> status event per full episode, in the payment reserve,
        /// so the hub learns why decisions stopped arriving. Call it under the lock after a
        /// non-payment event was refused as <see cref="Queue.QueueAppendResult.QueueFull"/>.
        /// </summary>
        private void StoreOutboxFullLocked(string refusedKind)
        {
            if (_outboxFullStored)
            {
                return;
            }

            _outboxFullStored = true;
            FirmwareEvent alarm = NewEvent(EventKindCodes.Status, _clock.UnixMilliseconds + _clockOffsetMs);
            alarm.Seq = _queue.NextSequence;
            alarm.Detail = FirmwareStatusDetails.OutboxFull + ": the flash queue holds " + _queue.Count.ToString()
                + " events and refused a " + refusedKind + " event; only payments are stored until the hub acknowledges events";
            long seq;
            if (_queue.AppendToReserve(EncodeRecord(alarm), out seq) == Queue.QueueAppendResult.Stored)
            {
                _eventsProduced++;
            }
        }
    }
}
