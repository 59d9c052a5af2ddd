using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

public sealed partial class FakeKafka
{
    private FindCoordinatorResponse FindCoordinator(FindCoordinatorRequest request, short version)
    {
        var response = new FindCoordinatorResponse();
        if (version >= 4)
        {
            foreach (string key in request.CoordinatorKeys)
            {
                FakeBroker b = _brokers[CoordinatorOf(key) - 1];
                response.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = key, NodeId = b.NodeId, Host = b.Address.Host, Port = b.Port });
            }

            return response;
        }

        FakeBroker broker = _brokers[CoordinatorOf(request.Key) - 1];
        response.NodeId = broker.NodeId;
        response.Host = broker.Address.Host;
        response.Port = broker.Port;
        return response;
    }

    private ListGroupsResponse ListGroups(int broker, ListGroupsRequest request)
    {
        var response = new ListGroupsResponse { ErrorCode = (short)TakeInjected(ApiKey.ListGroups) };
        if (response.ErrorCode != 0)
        {
            return response;
        }

        foreach (FakeGroup g in _groups.Values.OrderBy(g => g.Id, StringComparer.Ordinal))
        {
            if (CoordinatorOf(g.Id) != broker
                || (request.StatesFilter.Count > 0 && !request.StatesFilter.Contains(g.State, StringComparer.OrdinalIgnoreCase))
                || (request.TypesFilter.Count > 0 && !request.TypesFilter.Contains(g.Type, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = g.Id, ProtocolType = g.ProtocolType, GroupState = g.State, GroupType = g.Type });
        }

        return response;
    }

    private DescribeGroupsResponse DescribeGroups(int broker, DescribeGroupsRequest request)
    {
        var response = new DescribeGroupsResponse();
        ErrorCode injected = TakeInjected(ApiKey.DescribeGroups);
        foreach (string id in request.Groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = id, GroupState = "Dead" };
            ErrorCode error = injected != ErrorCode.None ? injected : CoordinatorOf(id) != broker ? ErrorCode.NotCoordinator : ErrorCode.None;
            described.ErrorCode = (short)error;
            if (error == ErrorCode.None && _groups.TryGetValue(id, out FakeGroup? g))
            {
                described.GroupState = g.State;
                described.ProtocolType = g.ProtocolType;
                described.ProtocolData = g.Protocol;
                foreach (FakeMember m in g.Members)
                {
                    described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                    {
                        MemberId = m.MemberId,
                        GroupInstanceId = m.GroupInstanceId,
                        ClientId = m.ClientId,
                        ClientHost = m.ClientHost,
                        MemberMetadata = [],
                        MemberAssignment = m.Assignment,
                    });
                }
            }

            response.Groups.Add(described);
        }

        return response;
    }

    private DeleteGroupsResponse DeleteGroups(int broker, DeleteGroupsRequest request)
    {
        var response = new DeleteGroupsResponse();
        ErrorCode injected = TakeInjected(ApiKey.DeleteGroups);
        foreach (string id in request.GroupsNames)
        {
            ErrorCode error = injected != ErrorCode.None ? injected : CoordinatorOf(id) != broker ? ErrorCode.NotCoordinator : ErrorCode.None;
            if (error == ErrorCode.None)
            {
                if (!_groups.TryGetValue(id, out FakeGroup? g))
                {
                    error = ErrorCode.GroupIdNotFound;
                }
                else if (g.Members.Count > 0)
                {
                    error = ErrorCode.NonEmptyGroup;
                }
                else
                {
                    _groups.Remove(id);
                }
            }

            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = id, ErrorCode = (short)error });
        }

        return response;
    }
}
