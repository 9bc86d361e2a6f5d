using Orchestrator.Shared.Crypto;

namespace Orchestrator.Minion.Transport;

/// <summary>
/// Pins the master's public key: from <c>master_finger</c> when configured, else on first contact (written to
/// <c>pki_dir/minion_master.pub</c>); a different key later is refused, never silently accepted.
/// </summary>
public sealed class MasterKeyPin(string pkiDir, string configuredFingerprint)
{
    private string PinPath => Path.Combine(pkiDir, "minion_master.pub");

    /// <summary>Returns null when <paramref name="presentedPem"/> is the master's key (pinning it on first contact), else why not.</summary>
    public string? Check(string presentedPem, out bool pinnedNow)
    {
        pinnedNow = false;
        var fingerprint = KeyFingerprint.Of(presentedPem);
        if (!string.IsNullOrEmpty(configuredFingerprint) && !KeyFingerprint.Matches(configuredFingerprint, fingerprint))
        {
            return $"master key {fingerprint} does not match master_finger {configuredFingerprint}";
        }
        if (File.Exists(PinPath))
        {
            var pinned = KeyFingerprint.Of(File.ReadAllText(PinPath));
            return KeyFingerprint.Matches(pinned, fingerprint)
                ? null
                : $"master key {fingerprint} differs from the pinned key {pinned} ({PinPath}); remove that file only if the master's key really changed";
        }
        File.WriteAllText(PinPath, presentedPem);
        pinnedNow = true;
        return null;
    }
}
