import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { WORKER_COMMANDS, type WorkerRequest, type WorkerResponse } from '@app/contracts';
import { WorkerHeartbeatService } from '../registry/worker-heartbeat.service';

/** Commands about the worker itself (session commands live with the sessions). */
@Controller()
export class WorkerCommandsController {
  constructor(private readonly heartbeat: WorkerHeartbeatService) {}

  @MessagePattern(WORKER_COMMANDS.describe)
  describe(@Payload() _request: WorkerRequest<typeof WORKER_COMMANDS.describe>): WorkerResponse<typeof WORKER_COMMANDS.describe> {
    return this.heartbeat.describe();
  }
}
