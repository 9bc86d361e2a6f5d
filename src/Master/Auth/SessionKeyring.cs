using Orchestrator.Shared.Crypto;

namespace Orchestrator.Master.Auth;

/// <summary>The publish session key shared by accepted minions; rotated on a schedule and whenever a key is deleted or rejected.</summary>
public sealed class SessionKeyring
{
    private SessionKey _current = new(1, EnvelopeSealer.NewKey());
    private readonly Lock _lock = new();

    public SessionKey Current => Volatile.Read(ref _current);

    public int Rotate()
    {
        lock (_lock)
        {
            var next = new SessionKey(_current.Generation + 1, EnvelopeSealer.NewKey());
            Volatile.Write(ref _current, next);
            return next.Generation;
        }
    }
}
