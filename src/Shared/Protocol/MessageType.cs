namespace Orchestrator.Shared.Protocol;

/// <summary>The kind of an envelope on the wire.</summary>
/// <remarks>Numeric ids are part of the wire format: append new kinds to the end, never renumber.</remarks>
public enum MessageType : byte
{
    /// <summary>Minion → master, clear: "I am id X with this public key".</summary>
    AuthHello = 1,

    /// <summary>Master → minion, clear, signed: a challenge to sign (or the key's status when not accepted).</summary>
    AuthChallenge = 2,

    /// <summary>Minion → master, clear: the signed challenge.</summary>
    AuthProof = 3,

    /// <summary>Master → minion, clear, signed: the outcome, with the session and per-minion keys encrypted to the minion.</summary>
    AuthResult = 4,

    /// <summary>Master → minion, clear: the sender is not (or no longer) authenticated and must authenticate again.</summary>
    AuthRequired = 5,

    /// <summary>Master → minions on the publish socket: a job.</summary>
    JobPublish = 10,

    /// <summary>Minion → master: a job publish was received.</summary>
    JobAck = 11,

    /// <summary>Minion → master: the return of a job.</summary>
    JobReturn = 12,

    /// <summary>Master → minion: a return is stored and can be dropped from the outbox.</summary>
    ReturnAck = 13,

    /// <summary>Minion → master: presence and liveness.</summary>
    Heartbeat = 20,

    /// <summary>Master → minion: answer to a heartbeat or any request that needs no other answer.</summary>
    Ack = 21,

    /// <summary>Minion → master: the minion started (or reconnected), with its grains.</summary>
    MinionStart = 22,

    /// <summary>Minion → master: the minion is stopping cleanly; the master marks it down at once.</summary>
    MinionStop = 23,

    /// <summary>Minion → master: an event for the master's bus.</summary>
    EventFire = 30,

    /// <summary>Minion → master: the current publish session key, when a publish names a generation the minion lacks.</summary>
    SessionKeyRequest = 40,

    /// <summary>Master → minion: the session key.</summary>
    SessionKeyResponse = 41,

    /// <summary>Minion → master: fetch a file from the file server.</summary>
    FileRequest = 50,

    /// <summary>Master → minion: file contents or "not found".</summary>
    FileResponse = 51,

    /// <summary>Minion → master: list the files of an environment.</summary>
    FileListRequest = 52,

    /// <summary>Master → minion: the file list.</summary>
    FileListResponse = 53,

    /// <summary>Minion → master: one chunk of a file <c>cp.push</c> sends (Salt's <c>_file_recv</c>); answered Ack or Error.</summary>
    FileRecv = 54,

    /// <summary>Minion → master: compile my pillar.</summary>
    PillarRequest = 60,

    /// <summary>Master → minion: the pillar, sealed to that minion only.</summary>
    PillarResponse = 61,

    /// <summary>Minion → master: store this minion's mine data (Salt's <c>_mine</c>), merged or replacing; answered Ack or Error.</summary>
    MineUpdate = 70,

    /// <summary>Minion → master: the mine data of the minions a target selects (Salt's <c>_mine_get</c>).</summary>
    MineGetRequest = 71,

    /// <summary>Master → minion: the mine data asked for, sealed to the asking minion.</summary>
    MineGetResponse = 72,

    /// <summary>Minion → master: delete one function from this minion's mine (Salt's <c>_mine_delete</c>); answered Ack or Error.</summary>
    MineDelete = 73,

    /// <summary>Minion → master: delete this minion's whole mine (Salt's <c>_mine_flush</c>); answered Ack or Error.</summary>
    MineFlush = 74,

    /// <summary>Master → minion: a request failed (the body says why).</summary>
    Error = 99,

    /// <summary>Minion → master: the master's runner functions and their docs (<c>sys.list_runners</c>, <c>sys.runner_doc</c>).</summary>
    RunnerDocRequest = 100,

    /// <summary>Master → minion: every runner function's doc, by name.</summary>
    RunnerDocResponse = 101,
}
