namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// Token ids admitted recently, each kept until its token expires plus the clock skew.
    /// Capacity is fixed: with tokens living at most 300 s, size it for the admits one gate
    /// can make in 330 s (a turnstile passes about one guest per second, so 512 is ample).
    /// When full, the entry that expires first is replaced, which can only forget a token
    /// that is closest to expiring anyway.
    /// </summary>
    public class SeenSet
    {
        private readonly ulong[] _tokenIds;
        private readonly uint[] _keepUntil;
        private readonly uint[] _admittedAt;
        private int _count;

        public SeenSet(int capacity)
        {
            if (capacity <= 0)
            {
                throw new System.ArgumentOutOfRangeException(nameof(capacity));
            }

            _tokenIds = new ulong[capacity];
            _keepUntil = new uint[capacity];
            _admittedAt = new uint[capacity];
        }

        public int Count
        {
            get { return _count; }
        }

        /// <summary>Returns whether the token id is held and not yet past its keep-until time.</summary>
        public bool Contains(ulong tokenId, uint nowUnixSeconds)
        {
            return IndexOf(tokenId, nowUnixSeconds) >= 0;
        }

        /// <summary>Returns when the token was admitted, or 0 when it is not held.</summary>
        public uint AdmittedAt(ulong tokenId, uint nowUnixSeconds)
        {
            int index = IndexOf(tokenId, nowUnixSeconds);
            return index < 0 ? 0 : _admittedAt[index];
        }

        public void Add(ulong tokenId, uint keepUntilUnixSeconds, uint nowUnixSeconds)
        {
            int slot = -1;
            int earliest = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_tokenIds[i] == tokenId || _keepUntil[i] < nowUnixSeconds)
                {
                    slot = i;
                    break;
                }

                if (_keepUntil[i] < _keepUntil[earliest])
                {
                    earliest = i;
                }
            }

            if (slot < 0)
            {
                slot = _count < _tokenIds.Length ? _count++ : earliest;
            }

            _tokenIds[slot] = tokenId;
            _keepUntil[slot] = keepUntilUnixSeconds;
            _admittedAt[slot] = nowUnixSeconds;
        }

        private int IndexOf(ulong tokenId, uint nowUnixSeconds)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_tokenIds[i] == tokenId && _keepUntil[i] >= nowUnixSeconds)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
