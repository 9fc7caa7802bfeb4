using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// The one verification pipeline shared by hub, agent and firmware. Checks run cheapest
    /// first: decode, key id, signature, time, scope, revocation, then the replay seen-set.
    /// Credentials longer than a token (a delegated token with its certificate, a pass with
    /// its rotating code) take the same steps with extra checks (TokenVerifier.Extended.cs).
    /// </summary>
    public partial class TokenVerifier
    {
        /// <summary>Delegation certificates held at once; a venue has few creator assistants.</summary>
        public const int DelegationCapacity = 64;

        private readonly ISignatureVerifier _signatureVerifier;
        private readonly uint _eventId;
        private readonly int _skewSeconds;
        private KeyList _keys;

        /// <param name="skewSeconds">Clock skew tolerated on issued-at and expiry, in seconds.</param>
        public TokenVerifier(ISignatureVerifier signatureVerifier, uint eventId, int skewSeconds)
        {
            if (signatureVerifier == null)
            {
                throw new System.ArgumentNullException(nameof(signatureVerifier));
            }

            if (skewSeconds < 0 || skewSeconds > 120)
            {
                throw new System.ArgumentOutOfRangeException(nameof(skewSeconds), "Clock skew must be 0 to 120 s.");
            }

            _signatureVerifier = signatureVerifier;
            _eventId = eventId;
            _skewSeconds = skewSeconds;
            _delegations = new DelegationSet(DelegationCapacity);
        }

        public int SkewSeconds
        {
            get { return _skewSeconds; }
        }

        /// <summary>Key list in use; null until the first list arrives.</summary>
        public KeyList Keys
        {
            get { return _keys; }
        }

        /// <summary>
        /// Installs a newer key list. Returns false, keeping the current list, when the new one
        /// is for another event or is not newer (rollback protection).
        /// </summary>
        public bool TryInstallKeys(KeyList keys)
        {
            if (keys == null || keys.EventId != _eventId)
            {
                return false;
            }

            if (_keys != null && keys.Version <= _keys.Version)
            {
                return false;
            }

            _keys = keys;
            return true;
        }

        /// <param name="token">Binary token, usually decoded from QR text by <see cref="QrText"/>.</param>
        /// <param name="nowUnixSeconds">Device time, which must be synchronized with the hub.</param>
        /// <param name="clockReliable">False when the device clock offset is beyond the bound.</param>
        /// <param name="gateZone">Zone of this gate; tokens for zone 0 are valid everywhere.</param>
        /// <param name="revocations">Revocation check, or null when the device holds none.</param>
        /// <param name="seen">Seen-set of this gate, or null to skip the replay check.</param>
        public VerifyResult Verify(
            byte[] token,
            uint nowUnixSeconds,
            bool clockReliable,
            byte gateZone,
            IRevocationCheck revocations,
            SeenSet seen)
        {
            return Verify(token, null, nowUnixSeconds, clockReliable, gateZone, revocations, seen);
        }

        /// <summary>
        /// Verifies a credential read from an NFC chip. A wristband credential is valid only
        /// with <paramref name="chipUid"/> equal to the UID it was signed for, and any other
        /// UID, or none, is <see cref="RejectReason.UidMismatch"/>. Other tokens ignore the UID.
        /// </summary>
        /// <param name="chipUid">UID the reader got from the chip's anticollision, or null for a QR scan.</param>
        public VerifyResult Verify(
            byte[] token,
            byte[] chipUid,
            uint nowUnixSeconds,
            bool clockReliable,
            byte gateZone,
            IRevocationCheck revocations,
            SeenSet seen)
        {
            if (token != null && token.Length > TokenLayout.TotalLength)
            {
                return VerifyExtended(token, chipUid, nowUnixSeconds, clockReliable, gateZone, revocations, seen);
            }

            TokenClaims claims;
            RejectReason decodeResult = TokenCodec.TryDecode(token, out claims);
            if (decodeResult != RejectReason.None)
            {
                return new VerifyResult(decodeResult, null);
            }

            if (claims.Type == TokenType.Pass)
            {
                // A pass is only ever valid with a rotating code; the bare pass is what a screenshot of an old app shows.
                return new VerifyResult(RejectReason.RotatingCodeInvalid, claims);
            }

            if (claims.Type == TokenType.Wristband)
            {
                // The UID the signature covers is missing, so the bytes are not a whole credential.
                return new VerifyResult(RejectReason.Malformed, claims);
            }

            return VerifyDecoded(token, claims, new CredentialForm(), nowUnixSeconds, clockReliable, gateZone, revocations, seen);
        }

        /// <summary>Records an admitted token so a second scan reports "already admitted".</summary>
        public void RecordAdmit(TokenClaims claims, uint nowUnixSeconds, SeenSet seen)
        {
            // A pass lives all event, so it is kept only while its rotating code could be shown
            // again. Re-entry with a later code is left to the policy and the online check.
            // A wristband also lives all event and is kept only for a short repeat window.
            uint keepUntil = claims.ExpiresAtUnixSeconds;
            if (claims.Type == TokenType.Pass)
            {
                keepUntil = RotatingCodeEnd(claims.RotatingStep);
            }
            else if (claims.Type == TokenType.Wristband)
            {
                keepUntil = nowUnixSeconds + (uint)WristbandCredential.RepeatWindowSeconds;
            }

            seen.Add(claims.TokenId, keepUntil + (uint)_skewSeconds, nowUnixSeconds);
        }

        private RejectReason CheckTime(TokenClaims claims, KeyEntry key, uint now, bool clockReliable)
        {
            if (!clockReliable)
            {
                return RejectReason.ClockUnreliable;
            }

            // A key signs only inside its window; a token claiming another issue time was not
            // issued by the hub under this key.
            if (claims.IssuedAtUnixSeconds < key.NotBeforeUnixSeconds
                || claims.IssuedAtUnixSeconds > key.NotAfterUnixSeconds)
            {
                return RejectReason.BadSignature;
            }

            if (claims.IssuedAtUnixSeconds > now + (uint)_skewSeconds)
            {
                return RejectReason.NotYetValid;
            }

            if ((ulong)claims.ExpiresAtUnixSeconds + (ulong)_skewSeconds < now)
            {
                return RejectReason.Expired;
            }

            return RejectReason.None;
        }
    }
}
