import { Injectable, type OnModuleInit } from '@nestjs/common';
import { jidDecode } from '@whiskeysockets/baileys';
import { bytesOf, child, childNodes, children, node, type BinaryNode } from '../protocol/binary-node';
import { StanzaRouter, type IqRequest } from '../server/stanza-router.service';
import { lidJid, pnJid, type Phone } from './phone.model';
import { PhoneRegistry } from './phone-registry.service';

const DEFAULT_STATUS = 'Hey there! I am using WhatsApp.';

/**
 * `usync`: the user directory. Answers the device, LID, contact, status and disappearing-mode
 * protocols. Each phone lists only its primary device (0): companions are reached through it.
 */
@Injectable()
export class UsyncHandler implements OnModuleInit {
  private readonly keyIndexTs = Math.floor(Date.now() / 1000).toString();

  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
  ) {}

  onModuleInit(): void {
    this.router.onIq('usync', 'usync', (request) => this.query(request));
  }

  private query({ query }: IqRequest): BinaryNode[] {
    const protocols = childNodes(child(query, 'query')).map((protocol) => protocol.tag);
    const users = children(child(query, 'list'), 'user').map((user) => this.answerUser(user, protocols));
    return [
      node('usync', { ...query?.attrs, last: 'true', index: '0' }, [
        node(
          'result',
          {},
          protocols.map((tag) => node(tag, {})),
        ),
        node('list', {}, users),
      ]),
    ];
  }

  private answerUser(user: BinaryNode, protocols: string[]): BinaryNode {
    const requestedPhone = bytesOf(child(user, 'contact'))?.toString('utf8').replace(/\D/g, '');
    const jid = user.attrs.jid ?? (requestedPhone ? pnJid(requestedPhone) : '');
    const phone = this.phones.findByJid(jid, true);
    const isLidQuery = jidDecode(jid)?.server === 'lid';
    const answers = phone ? protocols.flatMap((protocol) => this.answerProtocol(protocol, phone, isLidQuery)) : [];
    return node('user', { jid }, answers);
  }

  private answerProtocol(protocol: string, phone: Phone, isLidQuery: boolean): BinaryNode[] {
    switch (protocol) {
      case 'devices':
        return [node('devices', {}, [node('device-list', {}, [node('device', { id: '0' })]), node('key-index-list', { ts: this.keyIndexTs })])];
      case 'lid':
        return isLidQuery ? [] : [node('lid', { val: lidJid(phone.lid) })];
      case 'contact':
        return [node('contact', { type: 'in' }, `+${phone.phoneNumber}`)];
      case 'status':
        return [node('status', { t: '0' }, DEFAULT_STATUS)];
      case 'disappearing_mode':
        return [node('disappearing_mode', { duration: '0', t: '0' })];
      default:
        return [];
    }
  }
}
