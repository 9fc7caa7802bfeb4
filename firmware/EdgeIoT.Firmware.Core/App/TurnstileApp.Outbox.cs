using EdgeIoT.Firmware.Messages;
using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Storing events in the flash queue and publishing them in order with up to
    /// <see cref="TurnstileConfig.OutboxWindow"/> QoS 1 publishes in flight.
    /// </summary>
    public partial class TurnstileApp
    {
        private readonly System.Collections.ArrayList _inFlight = new System.Collections.ArrayList();
        private QueueRecord _lastSent;
        private bool _resendFromOldest;
        private int _outboxGeneration;
        private int _maxInFlightSeen;

        /// <summary>Publishes sent and still waiting for their PUBACK.</summary>
        public int InFlightCount
        {
            get
            {
                lock (_sync)
                {
                    return _inFlight.Count;
                }
            }
        }

        /// <summary>Most publishes that were in flight at once since start; shows the window is used and bounded.</summary>
        public int MaxInFlightSeen
        {
            get { return _maxInFlightSeen; }
        }

        /// <summary>
        /// Recovers as after a watchdog reset: the queue is re-mounted from flash, publishes in
        /// flight are forgotten so their records are sent again (the hub drops a repeated event
        /// id), the seen-set is reloaded from flash, and the clock is unreliable until the next
        /// hub time beacon.
        /// </summary>
        public void RecoverAfterReset()
        {
            lock (_sync)
            {
                _queue.Mount();
                _inFlight.Clear();
                _lastSent = null;
                _resendFromOldest = false;
                _outboxGeneration++;
                _outboxFullStored = false;
                ForgetClock();
                ReloadSeenSet();
            }

            PumpOutbox();
        }

        /// <summary>
        /// Publishes stored events, oldest first, while connected and fewer than
        /// <see cref="TurnstileConfig.OutboxWindow"/> are waiting for their PUBACK.
        /// </summary>
        public void PumpOutbox()
        {
            while (true)
            {
                QueueRecord record;
                int generation;
                lock (_sync)
                {
                    record = NextToSend();
                    if (record == null)
                    {
                        return;
                    }

                    _inFlight.Add(record);
                    _lastSent = record;
                    if (_inFlight.Count > _maxInFlightSeen)
                    {
                        _maxInFlightSeen = _inFlight.Count;
                    }

                    generation = _outboxGeneration;
                }

                Send(record, generation);
            }
        }

        internal void OnPublishCompleted(QueueRecord record, int generation, bool acknowledged)
        {
            lock (_sync)
            {
                if (generation != _outboxGeneration || !_inFlight.Contains(record))
                {
                    return;
                }

                _inFlight.Remove(record);
                if (acknowledged)
                {
                    _queue.Ack(record);
                }
                else
                {
                    // Later publishes may still succeed, but sending more now would reorder the
                    // failed record behind them twice over; the window drains, then the outbox
                    // starts again from the oldest record without a PUBACK.
                    _resendFromOldest = true;
                }

                if (_inFlight.Count == 0)
                {
                    _resendFromOldest = false;
                    _lastSent = null;
                }
            }

            // After a failure the next Tick or connect retries, so a link that fails every
            // publish at once does not turn into a tight loop here.
            if (acknowledged)
            {
                PumpOutbox();
            }
        }

        /// <summary>Picks the next record to publish, or null when the window is full or nothing is due.</summary>
        private QueueRecord NextToSend()
        {
            if (!_transport.IsConnected || _resendFromOldest || _inFlight.Count >= _config.OutboxWindow)
            {
                return null;
            }

            _deviceOfflineAdmits = 0;

            // While a publish is in flight its record is unacknowledged, so the sector of the
            // last one sent is still on flash and reading ahead from it is safe.
            return _inFlight.Count == 0 ? _queue.Peek() : _queue.PeekAfter(_lastSent);
        }

        private void Send(QueueRecord record, int generation)
        {
            byte[] json = new byte[record.Payload.Length - 1];
            System.Array.Copy(record.Payload, 1, json, 0, json.Length);
            string topic = FirmwareTopics.Event(_config.Venue, _config.DeviceId, EventKindCodes.FromCode(record.Payload[0]));
            OutboxPublish publish = new OutboxPublish(this, record, generation);
            _transport.Publish(topic, json, true, publish.OnCompleted);
        }

        private void StoreEvent(FirmwareEvent record, FirmwareDecision decision)
        {
            QueueAppendResult result;
            long seq;
            lock (_sync)
            {
                record.Seq = _queue.NextSequence;
                bool isPayment = record.Kind == EventKindCodes.Payment;
                result = _queue.Append(EncodeRecord(record), isPayment, out seq);
                if (result == QueueAppendResult.Stored)
                {
                    _eventsProduced++;
                    if (!_queue.IsFull)
                    {
                        _outboxFullStored = false;
                    }
                }
                else
                {
                    _eventsRefused++;
                    if (result == QueueAppendResult.QueueFull && !isPayment)
                    {
                        StoreOutboxFullLocked(record.Kind);
                    }
                }
            }

            if (decision != null)
            {
                decision.Seq = result == QueueAppendResult.Stored ? seq : -1;
            }

            if (result != QueueAppendResult.Stored)
            {
                RaiseNotice(
                    result == QueueAppendResult.QueueFull ? "queue_full" : "event_too_large",
                    "event " + record.Kind + " was not stored; the gate keeps deciding");
            }
        }

        /// <summary>Returns the queue payload of an event: its kind code, then its JSON.</summary>
        private static byte[] EncodeRecord(FirmwareEvent record)
        {
            byte[] json = EventJson.Write(record);
            byte[] payload = new byte[json.Length + 1];
            payload[0] = EventKindCodes.ToCode(record.Kind);
            System.Array.Copy(json, 0, payload, 1, json.Length);
            return payload;
        }
    }
}
