namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// Limits key-list resync requests to one per interval per device. A flood of scans with an
    /// unknown kid then costs the hub one request per interval, even when the key stays unknown.
    /// </summary>
    public class KeyResyncThrottle
    {
        private readonly long _intervalMilliseconds;
        private readonly object _lock = new object();
        private long _lastRequestMilliseconds;
        private bool _requested;

        /// <param name="intervalMilliseconds">Minimum time between two requests, 1 ms to 1 hour.</param>
        public KeyResyncThrottle(long intervalMilliseconds)
        {
            if (intervalMilliseconds < 1 || intervalMilliseconds > 3600000)
            {
                throw new System.ArgumentOutOfRangeException(
                    nameof(intervalMilliseconds), "The key resync interval must be 1 ms to 1 hour.");
            }

            _intervalMilliseconds = intervalMilliseconds;
        }

        public long IntervalMilliseconds
        {
            get { return _intervalMilliseconds; }
        }

        /// <summary>
        /// Returns true, and starts a new interval, when a request may be sent at
        /// <paramref name="nowMilliseconds"/> on a monotonic clock.
        /// </summary>
        public bool TryAcquire(long nowMilliseconds)
        {
            lock (_lock)
            {
                if (_requested && nowMilliseconds - _lastRequestMilliseconds < _intervalMilliseconds)
                {
                    return false;
                }

                _requested = true;
                _lastRequestMilliseconds = nowMilliseconds;
                return true;
            }
        }

        /// <summary>Returns whether a reject reason calls for a resync: the key or the delegation certificate is missing.</summary>
        public static bool IsResyncReason(RejectReason reason)
        {
            return reason == RejectReason.UnknownKeyId || reason == RejectReason.DelegationUnknown;
        }
    }
}
