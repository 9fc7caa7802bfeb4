using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// The verification steps shared by every credential form, plus what delegated tokens,
    /// passes and wristbands add: the delegation certificate (embedded or held), the rotating
    /// code and the chip UID.
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

        /// <summary>
        /// Installs the certificates of a hub delegation list (<see cref="DelegationList"/>).
        /// Each certificate is checked against the key list on its own, and one that fails is
        /// skipped. Returns how many were installed, or -1 with <paramref name="error"/> set
        /// when the list itself is malformed or for another event.
        /// </summary>
        public int InstallDelegations(byte[] list, out string error)
        {
            int count = DelegationList.TryReadCount(list, _eventId, out error);
            if (count < 0)
            {
                return -1;
            }

            int installed = 0;
            RejectReason firstFailure = RejectReason.None;
            for (int i = 0; i < count; i++)
            {
                byte[] certificate = new byte[DelegationCertificate.TotalLength];
                System.Array.Copy(
                    list, DelegationList.HeaderLength + (i * DelegationCertificate.TotalLength),
                    certificate, 0, DelegationCertificate.TotalLength);

                // The hub publishes the list again at every snapshot change, so a certificate
                // already held byte for byte skips the signature check, which is slow on an ESP32.
                RejectReason reason = IsHeld(certificate) ? RejectReason.None : TryAddDelegation(certificate);
                if (reason == RejectReason.None)
                {
                    installed++;
                }
                else if (firstFailure == RejectReason.None)
                {
                    firstFailure = reason;
                }
            }

            if (firstFailure != RejectReason.None)
            {
                error = (count - installed).ToString() + " of " + count.ToString()
                    + " delegation certificates were skipped, the first as " + RejectReasons.ToCode(firstFailure);
            }

            return installed;
        }

        private bool IsHeld(byte[] certificate)
        {
            DelegationCertificate held = _delegations.Find(
                BigEndian.ReadUInt32(certificate, DelegationCertificate.AssistantIdOffset));
            if (held == null)
            {
                return false;
            }

            for (int i = 0; i < DelegationCertificate.TotalLength; i++)
            {
                if (held.Encoded[i] != certificate[i])
                {
                    return false;
                }
            }

            return true;
        }

        private VerifyResult VerifyExtended(
            byte[] credential, byte[] chipUid, uint now, bool clockReliable, byte gateZone, IRevocationCheck revocations, SeenSet seen)
        {
            TokenClaims claims;
            RejectReason decodeResult = TokenCodec.TryDecodeLeading(credential, out claims);
            if (decodeResult != RejectReason.None)
            {
                return new VerifyResult(decodeResult, null);
            }

            int extra = credential.Length - TokenLayout.TotalLength;
            CredentialForm form = new CredentialForm();
            int certificateAndCode = DelegationCertificate.TotalLength + RotatingCode.SuffixLength;
            int referenceAndCode = DelegationCertificate.ReferenceLength + RotatingCode.SuffixLength;
            if (claims.Type == TokenType.Delegated && extra == DelegationCertificate.TotalLength)
            {
                form.CertificateOffset = TokenLayout.TotalLength;
            }
            else if (claims.Type == TokenType.Delegated && extra == DelegationCertificate.ReferenceLength)
            {
                form.ReferenceOffset = TokenLayout.TotalLength;
            }
            else if (claims.Type == TokenType.Pass && extra == RotatingCode.SuffixLength)
            {
                form.CodeOffset = TokenLayout.TotalLength;
            }
            else if (claims.Type == TokenType.Pass && extra == certificateAndCode)
            {
                form.CertificateOffset = TokenLayout.TotalLength;
                form.CodeOffset = TokenLayout.TotalLength + DelegationCertificate.TotalLength;
            }
            else if (claims.Type == TokenType.Pass && extra == referenceAndCode)
            {
                form.ReferenceOffset = TokenLayout.TotalLength;
                form.CodeOffset = TokenLayout.TotalLength + DelegationCertificate.ReferenceLength;
            }
            else if (claims.Type == TokenType.Wristband && extra == WristbandCredential.UidLength)
            {
                form.UidOffset = WristbandCredential.UidOffset;
                form.ChipUid = chipUid;
            }
            else
            {
                return new VerifyResult(RejectReason.Malformed, null);
            }

            return VerifyDecoded(credential, claims, form, now, clockReliable, gateZone, revocations, seen);
        }

        private VerifyResult VerifyDecoded(
            byte[] credential,
            TokenClaims claims,
            CredentialForm form,
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

            // Edge keys sign session and delegated tokens, and the event key signs passes and
            // wristbands. So a key of the other kind did not sign this credential as the hub intended.
            bool signedByEventKey = claims.Type == TokenType.Pass || claims.Type == TokenType.Wristband;
            if (key.EventKey != signedByEventKey || !SignatureValid(key, credential, form))
            {
                return new VerifyResult(RejectReason.BadSignature, claims);
            }

            if (form.UidOffset >= 0 && !WristbandCredential.UidMatches(credential, form.ChipUid))
            {
                return new VerifyResult(RejectReason.UidMismatch, claims);
            }

            DelegationCertificate delegation = null;
            if (claims.Type == TokenType.Delegated || (claims.Type == TokenType.Pass && claims.DelegatorId != 0))
            {
                RejectReason delegationResult = ResolveDelegation(credential, form, claims, out delegation);
                if (delegationResult != RejectReason.None)
                {
                    return new VerifyResult(delegationResult, claims, delegation);
                }
            }
            else if (form.CertificateOffset >= 0 || form.ReferenceOffset >= 0)
            {
                return new VerifyResult(RejectReason.Malformed, claims);
            }

            int codeOffset = form.CodeOffset;
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

        private bool SignatureValid(KeyEntry key, byte[] credential, CredentialForm form)
        {
            if (form.UidOffset < 0)
            {
                return _signatureVerifier.Verify(
                    key.PublicKey, credential, TokenLayout.SignedLength, credential, TokenLayout.SignatureOffset);
            }

            byte[] message = WristbandCredential.SignedMessage(credential);
            return _signatureVerifier.Verify(key.PublicKey, message, message.Length, credential, TokenLayout.SignatureOffset);
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
            byte[] credential, CredentialForm form, TokenClaims claims, out DelegationCertificate delegation)
        {
            delegation = null;
            int certificateOffset = form.CertificateOffset;
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
                // A reference names one certificate. When the device has another one for the
                // assistant, it must not judge the token by it and requests the list instead.
                delegation = form.ReferenceOffset >= 0
                    ? _delegations.FindByReference(
                        claims.EntitlementId, BigEndian.ReadUInt32(credential, form.ReferenceOffset))
                    : _delegations.Find(claims.EntitlementId);
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

        /// <summary>Where the optional parts of a credential start; -1 for a part that is absent.</summary>
        private sealed class CredentialForm
        {
            public int CertificateOffset = -1;
            public int ReferenceOffset = -1;
            public int CodeOffset = -1;
            public int UidOffset = -1;

            /// <summary>UID of the chip the credential was read from, or null when it came from a QR code.</summary>
            public byte[] ChipUid;
        }

        private static uint RotatingCodeEnd(uint step)
        {
            return (step + 1 + (uint)RotatingCode.AcceptedPastSteps) * (uint)RotatingCode.StepSeconds;
        }
    }
}
