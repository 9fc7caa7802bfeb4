using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// Delegation certificates a device holds, each already checked against the key list.
    /// At most one per assistant: a newer certificate (later not-before) replaces the older.
    /// When full, the certificate that ends first is replaced. A delegated credential whose
    /// certificate was dropped is then rejected as delegation_unknown until it carries it again.
    /// </summary>
    public class DelegationSet
    {
        private readonly DelegationCertificate[] _certificates;
        private readonly object _lock = new object();
        private int _count;

        public DelegationSet(int capacity)
        {
            if (capacity <= 0)
            {
                throw new System.ArgumentOutOfRangeException(nameof(capacity));
            }

            _certificates = new DelegationCertificate[capacity];
        }

        public int Count
        {
            get { return _count; }
        }

        /// <summary>Returns the certificate held for this assistant, or null.</summary>
        public DelegationCertificate Find(uint assistantId)
        {
            lock (_lock)
            {
                int index = IndexOf(assistantId);
                return index < 0 ? null : _certificates[index];
            }
        }

        /// <summary>
        /// Returns the certificate held for this assistant when its reference matches, or null
        /// when the device holds none or another one (older or newer) for the assistant.
        /// </summary>
        public DelegationCertificate FindByReference(uint assistantId, uint reference)
        {
            DelegationCertificate held = Find(assistantId);
            return held != null && held.Reference == reference ? held : null;
        }

        /// <summary>Adds a verified certificate, replacing an older one of the same assistant.</summary>
        public void Add(DelegationCertificate certificate)
        {
            if (certificate == null)
            {
                throw new System.ArgumentNullException(nameof(certificate));
            }

            lock (_lock)
            {
                int index = IndexOf(certificate.AssistantId);
                if (index >= 0)
                {
                    if (_certificates[index].NotBeforeUnixSeconds <= certificate.NotBeforeUnixSeconds)
                    {
                        _certificates[index] = certificate;
                    }

                    return;
                }

                _certificates[_count < _certificates.Length ? _count++ : EarliestEnding()] = certificate;
            }
        }

        private int IndexOf(uint assistantId)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_certificates[i].AssistantId == assistantId)
                {
                    return i;
                }
            }

            return -1;
        }

        private int EarliestEnding()
        {
            int earliest = 0;
            for (int i = 1; i < _count; i++)
            {
                if (_certificates[i].NotAfterUnixSeconds < _certificates[earliest].NotAfterUnixSeconds)
                {
                    earliest = i;
                }
            }

            return earliest;
        }
    }
}
