// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title AccessControl
/// @notice Role-based access with the external ABI of OpenZeppelin's AccessControl (v5): the same functions, events,
/// errors and ERC-165 answer, so tools that know that ABI read these contracts as they read OpenGradient's.
/// @dev Abstract: the build writes no ABI for this file; the contracts that inherit it carry its ABI.
abstract contract AccessControl {
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    mapping(bytes32 role => mapping(address account => bool)) private members;
    mapping(bytes32 role => bytes32 adminRole) private admins;

    event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    error AccessControlBadConfirmation();

    modifier onlyRole(bytes32 role) {
        if (!members[role][msg.sender]) revert AccessControlUnauthorizedAccount(msg.sender, role);
        _;
    }

    /// @notice ERC-165: this contract supports ERC-165 itself and the AccessControl interface.
    function supportsInterface(bytes4 interfaceId) public view virtual returns (bool) {
        return interfaceId == 0x01ffc9a7 // supportsInterface(bytes4)
            || interfaceId == 0x7965db0b; // hasRole ^ getRoleAdmin ^ grantRole ^ revokeRole ^ renounceRole
    }

    function hasRole(bytes32 role, address account) public view returns (bool) {
        return members[role][account];
    }

    function getRoleAdmin(bytes32 role) public view returns (bytes32) {
        return admins[role];
    }

    function grantRole(bytes32 role, address account) public onlyRole(getRoleAdmin(role)) {
        _grantRole(role, account);
    }

    function revokeRole(bytes32 role, address account) public onlyRole(getRoleAdmin(role)) {
        _revokeRole(role, account);
    }

    /// @notice Gives up `role`; `callerConfirmation` must be the caller, so a role is never renounced by mistake.
    function renounceRole(bytes32 role, address callerConfirmation) public {
        if (callerConfirmation != msg.sender) revert AccessControlBadConfirmation();
        _revokeRole(role, callerConfirmation);
    }

    function _grantRole(bytes32 role, address account) internal {
        if (members[role][account]) return;
        members[role][account] = true;
        emit RoleGranted(role, account, msg.sender);
    }

    function _revokeRole(bytes32 role, address account) internal {
        if (!members[role][account]) return;
        members[role][account] = false;
        emit RoleRevoked(role, account, msg.sender);
    }

    function _setRoleAdmin(bytes32 role, bytes32 adminRole) internal {
        emit RoleAdminChanged(role, admins[role], adminRole);
        admins[role] = adminRole;
    }
}
