using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// The verification steps shared by every credential form, plus what delegated tokens and
    /// passes add: the delegation certificate (embedded or held) and the rotating code.
    /// </summary>
    public partial class TokenVerifier
    {
        private readonly DelegationSet _delegations;
        private byte[] _rotatingCodeKey;

        /// <summary>Delegation certificates this verifier holds, added directly or learned from credentials.</summary>
        public DelegationSet Delegations
        {
            get { return _delegations; }
        }

        /// <summary>True once a rotating-code key is set, so passes can be checked.</summary>
        public bool HasRotatingCodeKey
        {
            get { return _rotatingCodeKey != null; }
        }

        /// <summary>Sets the event's 32-byte rotating-code key, which gates need to check passes.</summary>
        public void SetRotatingCodeKey(byte[] key)
        {
            if (key == null || key.Length != RotatingCode.KeyLength)
            {
                throw new System.ArgumentException("A rotating-code key is 32 bytes.", nameof(key));
            }

            _rotatingCodeKey = key;
        }

        /// <summary>
        /// Checks a delegation certificate against the key list and, when it is genuine and for
        /// this event, stores it so delegated tokens can be verified without it embedded.
        /// </summary>
        public RejectReason TryAddDelegation(byte[] certificate)
        {
            RejectReason reason;
            DelegationCertificate decoded = DelegationCertificate.TryDecode(
                certificate, 0, certificate == null ? 0 : certificate.Length, out reason);
            if (decoded == null)
            {
                return reason;
            }

            reason = CheckCertificate(decoded);
            if (reason == RejectReason.None)
            {
                _delegations.Add(decoded);
            }

            return reason;
        }

        private VerifyResult VerifyExtended(
            byte[] credential, uint now, bool clockReliable, byte gateZone, IRevocationCheck revocations, SeenSet seen)
        {
            TokenClaims claims;
            RejectReason decodeResult = TokenCodec.TryDecodeLeading(credential, out claims);
            if (decodeResult != RejectReason.None)
            {
                return new VerifyResult(decodeResult, null);
            }

            int extra = credential.Length - TokenLayout.TotalLength;
            int certificateOffset = -1;
            int codeOffset = -1;
            if (claims.Type == TokenType.Delegated && extra == DelegationCertificate.TotalLength)
            {
                certificateOffset = TokenLayout.TotalLength;
            }
            else if (claims.Type == TokenType.Pass && extra == RotatingCode.SuffixLength)
            {
                codeOffset = TokenLayout.TotalLength;
            }
            else if (claims.Type == TokenType.Pass && extra == DelegationCertificate.TotalLength + RotatingCode.SuffixLength)
            {
                certificateOffset = TokenLayout.TotalLength;
                codeOffset = TokenLayout.TotalLength + DelegationCertificate.TotalLength;
            }
            else
            {
                return new VerifyResult(RejectReason.Malformed, null);
            }

            return VerifyDecoded(
                credential, claims, certificateOffset, codeOffset, now, clockReliable, gateZone, revocations, seen);
        }

        private VerifyResult VerifyDecoded(
            byte[] credential,
            TokenClaims claims,
            int certificateOffset,
            int codeOffset,
            uint now,
            bool clockReliable,
            byte gateZone,
            IRevocationCheck revocations,
            SeenSet seen)
        {
            KeyEntry key = _keys == null ? null : _keys.Find(claims.KeyId);
            if (key == null)
            {
                return new VerifyResult(RejectReason.UnknownKeyId, claims);
            }

            if (key.Revoked)
            {
                return new VerifyResult(RejectReason.KeyRevoked, claims);
            }

            // Edge keys sign session and delegated tokens, and the event key signs passes. So a
            // key of the other kind did not sign this credential as the hub intended.
            if (key.EventKey != (claims.Type == TokenType.Pass)
                || !_signatureVerifier.Verify(
                    key.PublicKey, credential, TokenLayout.SignedLength, credential, TokenLayout.SignatureOffset))
            {
                return new VerifyResult(RejectReason.BadSignature, claims);
            }

            DelegationCertificate delegation = null;
            if (claims.Type == TokenType.Delegated || (claims.Type == TokenType.Pass && claims.DelegatorId != 0))
            {
                RejectReason delegationResult = ResolveDelegation(credential, certificateOffset, claims, out delegation);
                if (delegationResult != RejectReason.None)
                {
                    return new VerifyResult(delegationResult, claims, delegation);
                }
            }
            else if (certificateOffset >= 0)
            {
                return new VerifyResult(RejectReason.Malformed, claims);
            }

            if (codeOffset >= 0)
            {
                claims.RotatingStep = BigEndian.ReadUInt32(credential, codeOffset);
                if (!RotatingCodeMatches(credential, codeOffset))
                {
                    return new VerifyResult(RejectReason.RotatingCodeInvalid, claims, delegation);
                }
            }

            RejectReason timeResult = CheckTime(claims, key, now, clockReliable);
            if (timeResult == RejectReason.None && codeOffset >= 0)
            {
                timeResult = CheckRotatingStep(claims.RotatingStep, now);
            }

            if (timeResult != RejectReason.None)
            {
                return new VerifyResult(timeResult, claims, delegation);
            }

            return new VerifyResult(CheckScope(claims, now, gateZone, revocations, seen), claims, delegation);
        }

        private RejectReason CheckScope(TokenClaims claims, uint now, byte gateZone, IRevocationCheck revocations, SeenSet seen)
        {
            if (claims.EventId != _eventId)
            {
                return RejectReason.WrongEvent;
            }

            if (claims.Zone != 0 && gateZone != 0 && claims.Zone != gateZone)
            {
                return RejectReason.WrongZone;
            }

            if (revocations != null && revocations.IsRevoked(claims.EntitlementId, claims.Epoch))
            {
                return RejectReason.Revoked;
            }

            if (seen != null && seen.Contains(claims.TokenId, now))
            {
                return RejectReason.AlreadyAdmitted;
            }

            return RejectReason.None;
        }

        private RejectReason ResolveDelegation(
            byte[] credential, int certificateOffset, TokenClaims claims, out DelegationCertificate delegation)
        {
            delegation = null;
            if (certificateOffset >= 0)
            {
                RejectReason decoded;
                DelegationCertificate embedded = DelegationCertificate.TryDecode(
                    credential, certificateOffset, DelegationCertificate.TotalLength, out decoded);
                if (embedded == null)
                {
                    return decoded;
                }

                RejectReason checkedResult = CheckCertificate(embedded);
                if (checkedResult != RejectReason.None)
                {
                    return checkedResult;
                }

                // Held from now on, so the same assistant's next token may leave it out.
                _delegations.Add(embedded);
                delegation = embedded;
            }
            else
            {
                delegation = _delegations.Find(claims.EntitlementId);
                if (delegation == null)
                {
                    return RejectReason.DelegationUnknown;
                }
            }

            return WithinDelegation(claims, delegation) ? RejectReason.None : RejectReason.DelegationExceeded;
        }

        private RejectReason CheckCertificate(DelegationCertificate certificate)
        {
            KeyEntry key = _keys == null ? null : _keys.Find(certificate.KeyId);
            if (key == null)
            {
                return RejectReason.UnknownKeyId;
            }

            if (key.Revoked)
            {
                return RejectReason.KeyRevoked;
            }

            byte[] encoded = certificate.Encoded;
            if (!key.EventKey
                || certificate.NotBeforeUnixSeconds < key.NotBeforeUnixSeconds
                || certificate.NotAfterUnixSeconds > key.NotAfterUnixSeconds
                || !_signatureVerifier.Verify(
                    key.PublicKey, encoded, DelegationCertificate.SignedLength, encoded, DelegationCertificate.SignatureOffset))
            {
                return RejectReason.BadSignature;
            }

            return certificate.EventId == _eventId ? RejectReason.None : RejectReason.WrongEvent;
        }

        private static bool WithinDelegation(TokenClaims claims, DelegationCertificate delegation)
        {
            return delegation.AssistantId == claims.EntitlementId
                && delegation.CreatorId == claims.DelegatorId
                && delegation.Role == claims.Role
                && (delegation.Zone == 0 || delegation.Zone == claims.Zone)
                && claims.SpendAllowanceMinor <= delegation.SpendLimitMinor
                && claims.IssuedAtUnixSeconds >= delegation.NotBeforeUnixSeconds
                && claims.ExpiresAtUnixSeconds <= delegation.NotAfterUnixSeconds;
        }

        private bool RotatingCodeMatches(byte[] credential, int codeOffset)
        {
            if (_rotatingCodeKey == null)
            {
                return false;
            }

            byte[] secret = RotatingCode.DeriveSecret(_rotatingCodeKey, credential);
            uint step = BigEndian.ReadUInt32(credential, codeOffset);
            uint code = BigEndian.ReadUInt32(credential, codeOffset + 4);
            return Totp.Compute(secret, step, RotatingCode.Digits) == code;
        }

        private static RejectReason CheckRotatingStep(uint step, uint now)
        {
            ulong currentStep = Totp.StepAt(now, RotatingCode.StepSeconds);
            if (step + (ulong)RotatingCode.AcceptedPastSteps < currentStep)
            {
                return RejectReason.RotatingCodeExpired;
            }

            if (step > currentStep + (ulong)RotatingCode.AcceptedFutureSteps)
            {
                return RejectReason.NotYetValid;
            }

            return RejectReason.None;
        }

        private static uint RotatingCodeEnd(uint step)
        {
            return (step + 1 + (uint)RotatingCode.AcceptedPastSteps) * (uint)RotatingCode.StepSeconds;
        }
    }
}
