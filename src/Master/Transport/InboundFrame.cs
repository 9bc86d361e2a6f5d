namespace Orchestrator.Master.Transport;

/// <summary>A frame received on the request socket, with the ROUTER identity of the peer that sent it.</summary>
public sealed record InboundFrame(byte[] RoutingId, byte[] Payload);
