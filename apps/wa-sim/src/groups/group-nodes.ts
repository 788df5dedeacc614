import type { PhoneRegistry } from '../accounts/phone-registry.service';
import { node, type BinaryNode } from '../protocol/binary-node';
import { memberJids, type Group, type GroupParticipant } from './group.model';

/** The attribute naming a member's alternate JID: `phone_number` in LID groups, `lid` in PN groups. */
const altAttr = (group: Group): string => (group.addressingMode === 'lid' ? 'phone_number' : 'lid');

/** `<participant jid phone_number|lid type?/>` as Baileys' `extractGroupMetadata` and notifications read it. */
export function participantNode(
  phones: PhoneRegistry,
  group: Group,
  participant: Pick<GroupParticipant, 'phoneNumber'> & Partial<GroupParticipant>,
): BinaryNode {
  const { jid, alt } = memberJids(phones.get(participant.phoneNumber), group.addressingMode);
  const attrs: Record<string, string> = { jid, [altAttr(group)]: alt };
  if (participant.role && participant.role !== 'member') attrs.type = participant.role;
  return node('participant', attrs);
}

/** Attributes naming a member in an actor / owner slot, e.g. `creator` + `creator_pn`. */
export function memberAttrs(phones: PhoneRegistry, group: Group, name: string, phoneNumber: string): Record<string, string> {
  const { jid, alt } = memberJids(phones.get(phoneNumber), group.addressingMode);
  return { [name]: jid, [group.addressingMode === 'lid' ? `${name}_pn` : `${name}_lid`]: alt };
}

/** The `<group>` node of create results, metadata queries, the participating list and `create` notifications. */
export function groupNode(phones: PhoneRegistry, group: Group): BinaryNode {
  const children = group.participants.map((participant) => participantNode(phones, group, participant));
  const { description } = group;
  if (description) {
    const attrs = { id: description.id, t: String(description.time), ...memberAttrs(phones, group, 'participant', description.ownerPhoneNumber) };
    children.push(node('description', attrs, [node('body', {}, Buffer.from(description.text, 'utf8'))]));
  }
  return node(
    'group',
    {
      id: group.id,
      subject: group.subject,
      s_t: String(group.subjectTime),
      ...memberAttrs(phones, group, 's_o', group.subjectOwnerPhoneNumber),
      ...memberAttrs(phones, group, 'creator', group.creatorPhoneNumber),
      creation: String(group.creation),
      size: String(group.participants.length),
      addressing_mode: group.addressingMode,
    },
    children,
  );
}
