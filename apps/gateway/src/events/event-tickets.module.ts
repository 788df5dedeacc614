import { Module } from '@nestjs/common';
import { EventTicketStore } from './event-ticket.store';

/** The ticket store on its own: authentication redeems tickets, the events module issues them. */
@Module({ providers: [EventTicketStore], exports: [EventTicketStore] })
export class EventTicketsModule {}
